"""One module per assessed exercise; each defines ``ASSIGNMENT`` (see course.grading.authoring)."""
