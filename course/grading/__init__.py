"""The facilitator's side of the assessed exercises, built on nbgrader.

Plain modules hold the rules and are tested without nbgrader where possible:

- :mod:`course.grading.roster`   read and check a roster CSV
- :mod:`course.grading.collect`  match files participants sent to participant and assignment
- :mod:`course.grading.inspect`  find (and where safe, repair) damaged submissions
- :mod:`course.grading.hidden`   remove hidden tests from what learners get back
- :mod:`course.grading.parallel` autograde a cohort with N workers and a per-notebook time limit
- :mod:`course.grading.results`  grades table, CSV export, cohort summary page
- :mod:`course.grading.authoring` build the bilingual source assignments in ``solutions/``
- :mod:`course.grading.cli`      ``sp-facilitator``, the command line
"""
