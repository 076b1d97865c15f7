"""Several snapshots taken at the checkpoints of ONE app run (the ``snap_flow`` fixture).

``snap_compare`` (pytest-textual-snapshot) starts a fresh app for every picture, so a
test of the fifth screen of a flow replays the four before it, and the suite replayed
the mock interview eleven times. ``snap_flow`` walks the flow once and takes a named
picture at each screen, with the same waits and the same export as
``textual._doc.take_svg_screenshot`` (what ``snap_compare`` uses), so each picture
is byte for byte the one a separate run would take.

Each picture is a syrupy snapshot of its own (``test_x[80x24][mock-review].svg``),
compared with pytest-textual-snapshot's SVG extension: ``--snapshot-update`` accepts
them, and a mismatch lands in the same ``snapshot_report.html``, named
``test_x[80x24] mock-review``. Every picture is compared before the test fails, and
the failure names each screen that differs.

    def test_mock(snap_flow, samples, size):
        async def flow(pilot, shot):
            await shot("question")
            await pilot.press("escape")
            await shot("leave-dialog")

        snap_flow(make_app(samples), SIZES[size], flow)
"""

from __future__ import annotations

import inspect
import pickle
from typing import Awaitable, Callable

from pytest_textual_snapshot import PseudoApp, PseudoConsole, SVGImageExtension, node_to_report_path
from rich.console import Console

Shot = Callable[[str], Awaitable[None]]


class SnapFlow:
    def __init__(self, snapshot, request) -> None:
        self.snapshot = snapshot.use_extension(SVGImageExtension)
        self.request = request

    def __call__(self, app, terminal_size: tuple[int, int], flow: Callable[..., Awaitable[None]]) -> None:
        title = app.title
        shots: list[tuple[str, str]] = []
        failure: list[BaseException] = []

        async def auto_pilot(pilot) -> None:
            async def shot(name: str) -> None:
                assert name not in dict(shots), f"two pictures named {name!r}"
                # What take_svg_screenshot does after run_before, before it exports.
                await pilot.pause()
                await pilot.press()
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()
                shots.append((name, app.export_screenshot(title=title, simplify=True)))

            try:
                await flow(pilot, shot)
            except BaseException as error:  # re-raised below, after the app has stopped
                failure.append(error)
            app.exit()

        app.run(headless=True, auto_pilot=auto_pilot, size=terminal_size)
        assert app.return_code == 0, f"the app stopped with {app.return_code} after {[name for name, _ in shots]}"
        # Compare what was taken even when the flow broke later: the report shows it.
        differ = [name for name, svg in shots if not self._compare(name, svg)]
        if failure:
            raise failure[0]
        assert not differ, f"snapshot of {', '.join(differ)} differs (see snapshot_report.html)"

    def _compare(self, name: str, svg: str) -> bool:
        node = self.request.node
        result = self.snapshot(name=name) == svg
        executed = self.snapshot.executions[self.snapshot.num_executions - 1]
        expected = executed.recalled_data
        console = Console(legacy_windows=False, force_terminal=True)
        full_path, line_number, test_name = node.reportinfo()
        data = (
            result,
            "" if expected is None else str(expected),
            svg,
            PseudoApp(PseudoConsole(console.legacy_windows, console.size)),
            full_path,
            line_number,
            f"{test_name} {name}",
            inspect.getdoc(node.function) or "",
            "",
            expected is not None,
        )
        path = node_to_report_path(node)
        path.with_name(f"{path.name}_{name}").write_bytes(pickle.dumps(data))
        return result
