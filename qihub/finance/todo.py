"""Workbench to-dos of the finance referrals (OPS-5): late when the referral clock has lapsed."""

from qihub.accounts.todo import Todo
from qihub.finance import workflow

REFERRALS_TO_HANDLE = Todo(workflow.to_handle, ("finance_referral",), waiting_label="未办结")
MY_REFERRALS = Todo(workflow.my_open, ("finance_referral",), waiting_label="办理中")
