// A fix to ipywidgets 8's front end under Voila 0.5, run before Voila's scripts load.
(function () {
  // 1. Widget state fetched once, whatever the link speed. ipywidgets asks the kernel for
  //    every widget's state in one message on the "jupyter.widget.control" comm and gives
  //    up after 4 s (CONTROL_COMM_TIMEOUT; ipywidgets issue 3633, not configurable). It
  //    then asks again, once per widget, while the first answer is still arriving: on a
  //    slow link a page with many widgets downloads every state twice (module 3 on Fast
  //    3G: 826 extra requests, 3.8x the bytes). The give-up exists for Notebook <= 6.1,
  //    which silently dropped that comm; Jupyter Server 2 and Voila always answer or close
  //    the comm (which still falls back at once). So the course waits for the answer: the
  //    give-up timer is stretched to 10 minutes, longer than any page takes to load.
  var setTimer = window.setTimeout;
  var giveUp = /Control comm did not respond in time/;
  window.setTimeout = function (handler, delay) {
    if (typeof handler === "function" && typeof delay === "number" && delay >= 1000 && delay <= 60000 &&
        giveUp.test(Function.prototype.toString.call(handler))) {
      var args = Array.prototype.slice.call(arguments);
      args[1] = 600000;
      return setTimer.apply(this, args);
    }
    return setTimer.apply(this, arguments);
  };
})();
