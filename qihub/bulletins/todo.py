"""Workbench to-dos of the defect reports (CMP-5): late when the answer clock has lapsed."""

from qihub.accounts.todo import Todo
from qihub.bulletins import workflow

DEFECTS_TO_ANSWER = Todo(workflow.to_handle, ("defect_answer",), waiting_label="待答复")
