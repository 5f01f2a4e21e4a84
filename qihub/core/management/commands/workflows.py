"""`qihub workflows`: every workflow table — who may take which move from which status, and
the clocks it moves; `--dot` draws them for Graphviz."""

from django.core.management.base import BaseCommand, CommandParser

from qihub.core.workflow import load_all


class Command(BaseCommand):
    help = "打印各业务流程的状态转换表（--dot 输出 Graphviz 图）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dot", action="store_true", help="输出 Graphviz dot 格式")

    def handle(self, *args: object, **options: object) -> None:
        for flow in load_all():
            if options["dot"]:
                self.stdout.write(flow.graph())
                continue
            self.stdout.write(f"\n{flow.model._meta.verbose_name}（{flow.model._meta.label}）")
            for m in flow.moves.values():
                sources = "、".join(sorted(str(s or "新建") for s in m.sources or {"任意"}))
                clocks = " ".join(
                    f"{verb}:{','.join(codes)}"
                    for verb, codes in (
                        ("启动", m.starts),
                        ("暂停", m.pauses),
                        ("恢复", m.resumes),
                        ("停止", m.stops),
                    )
                    if codes
                )
                self.stdout.write(
                    f"  {m.action:<12} {m.label:<10} {sources} → {m.target or '（不变）'}"
                    f"  操作人：{m.who.name}  {clocks}".rstrip()
                )
