// Two fixes to Voila 0.5 + ipywidgets 8 front-end behaviour, run before Voila's scripts load.
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

  // 2. Outputs Voila renders itself (charts, tables) reach their renderer as the plain
  //    JSON written in the page, not as a JupyterLab MimeModel, so a renderer that writes
  //    back to its model fails: plotly's (jupyterlab-plotly 7) stores a PNG copy of each
  //    chart with model.setData(), which threw "r.setData is not a function" once per
  //    chart. Every mime renderer the lab extensions provide is given a model with
  //    setData (kept in the page only, as JupyterLab's MimeModel keeps it in memory).
  function withSetData(model) {
    if (!model || typeof model !== "object" || typeof model.setData === "function") { return model; }
    Object.defineProperty(model, "setData", {
      configurable: true,
      value: function (options) {
        if (options && options.data) { model.data = options.data; }
        if (options && options.metadata) { model.metadata = options.metadata; }
      }
    });
    return model;
  }
  function patchRendererFactory(factory) {
    if (!factory || typeof factory.createRenderer !== "function" || factory.spSetData) { return; }
    var create = factory.createRenderer;
    factory.createRenderer = function () {
      var renderer = create.apply(this, arguments);
      if (renderer && typeof renderer.renderModel === "function") {
        var render = renderer.renderModel;
        renderer.renderModel = function (model) {
          var args = Array.prototype.slice.call(arguments);
          args[0] = withSetData(model);
          return render.apply(this, args);
        };
      }
      return renderer;
    };
    factory.spSetData = true;
  }
  function patchModule(module) {
    var exported = module && (module.__esModule || module.default) ? module.default : module;
    (Array.isArray(exported) ? exported : [exported]).forEach(function (extension) {
      if (extension && extension.rendererFactory) { patchRendererFactory(extension.rendererFactory); }
    });
    return module;
  }
  function patchContainer(container) {
    // A webpack container's get/init are read-only getters: wrap it in a new object.
    if (!container || typeof container.get !== "function" || container.spSetData) { return container; }
    return {
      spSetData: true,
      init: function () { return container.init.apply(container, arguments); },
      get: function () {
        return Promise.resolve(container.get.apply(container, arguments)).then(function (factory) {
          return function () { return patchModule(factory.apply(this, arguments)); };
        });
      }
    };
  }
  // Lab extensions register their module-federation container as window._JUPYTERLAB[name].
  var containers = window._JUPYTERLAB || {};
  Object.keys(containers).forEach(function (name) { containers[name] = patchContainer(containers[name]); });
  if (window.Proxy) {
    window._JUPYTERLAB = new Proxy(containers, {
      set: function (target, name, value) { target[name] = patchContainer(value); return true; }
    });
  }
})();
