"""Workbench to-dos of technical support (OPS-1): late when the answer clock has lapsed."""

from qihub.accounts.todo import Todo
from qihub.support import workflow

SUPPORT_TO_ANSWER = Todo(workflow.to_answer, (workflow.CLOCK,), waiting_label="待答复")
MY_SUPPORT = Todo(workflow.my_open, (workflow.CLOCK,), waiting_label="未关闭")
