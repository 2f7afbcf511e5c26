"""The report area's writes: the qualitative answers and the people lists' log (answers.py), the export jobs
(jobs.py)."""

from planner.report.actions.answers import SavedAnswers, log_people_list, save_answers

__all__ = ["SavedAnswers", "log_people_list", "save_answers"]
