"""nbgrader configuration of the Special Procedures course.

The repository itself is the nbgrader course directory (as in the introPy
course): the source assignments live in ``solutions/`` and the student versions
that nbgrader generates from them in ``exercises/``. Everything a facilitator's
cohort produces (``submitted/``, ``autograded/``, ``feedback/``, ``gradebook.db``)
is ignored by git, because it holds participants' work.

The facilitator's command line (``sp-facilitator``, in ``course/grading``) reads
this same file, and so do stock ``nbgrader`` commands and the formgrader.
"""
import os

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = os.environ.get("SP_COURSE_DIR", HERE)
c.CourseDirectory.course_id = "sp-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Only notebooks are assignments; helper files in a source folder are copied as is.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Execution limits while autograding. Per cell: an endless loop is interrupted
# after this many seconds and the rest of the notebook still runs. The facilitator
# CLI adds a hard limit per notebook on top (`sp-facilitator autograde --timeout`).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 60
# Each submission's kernel runs in a sandbox (course/grading/sandbox.py): a copy in a
# fresh folder, under bubblewrap, with no view of the course folder, the gradebook or
# the network; its tests are guarded against answers that alter what they rely on.
# Grading stops where no sandbox exists, unless the facilitator chooses
# `sp-facilitator autograde --no-sandbox` (c.SandboxedExecute.sandbox = "off").
c.Autograde.autograde_preprocessors = [
    "course.grading.sandbox.SandboxedExecute",  # in place of nbgrader.preprocessors.Execute
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A print in an endless loop must not produce a notebook of hundreds of megabytes.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

# The learner-facing HTML feedback must never show hidden tests (jupyter/nbgrader#917).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.grading.hidden.StripHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Learners copy cells (jupyter/nbgrader#1083): nbgrader keeps the last copy of each grade id.
c.DeduplicateIds.enabled = True

# `nbgrader zip_collect` understands the same file names as `sp-facilitator collect`:
# <participant>_<assignment>.ipynb, e.g. p07_m1-facts-en.ipynb.
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
c.FileNameCollectorPlugin.named_regexp = (
    r"^(?P<student_id>[A-Za-z0-9][A-Za-z0-9.\-]*)_(?P<file_id>m[0-9]+-[a-z0-9\-]+-(?:en|zh)\.ipynb)$"
)

# On a JupyterHub, set the exchange folder shared by the facilitator and the
# participants (see docs/facilitator/en/grading.md, "JupyterHub").
if os.environ.get("SP_COURSE_EXCHANGE"):
    c.Exchange.root = os.environ["SP_COURSE_EXCHANGE"]
