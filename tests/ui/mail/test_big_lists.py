"""Long lists in Local Folders (no server needed): a search shows its newest hits first, then completes."""

from __future__ import annotations

from app.core.mail.store import Store
from app.core.paths import AppPaths
from app.ui.mail.backend import LOCAL_KEY, MailBackend
from app.ui.mail.mail_tab import FIRST_PAGE, MailTab
from app.ui.mail.message_model import COL_SUBJECT
from app.ui.settings import Settings
from tests.ui.mail.conftest import make_message, type_text


def test_search_first_page_stays_while_the_complete_list_loads(qtbot, app_paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    total = FIRST_PAGE + 60
    store = Store.open(app_paths.mail_db)
    fid = store.create_local_folder(store.ensure_account(LOCAL_KEY, "local"), "Reports")
    for i in range(total):
        store.add_local_message(fid, make_message(i, f"Quarterly report {i}", age_hours=i))
    store.add_local_message(fid, make_message(999, "Lunch", age_hours=1))
    store.close()
    tab = MailTab(Settings(app_paths), MailBackend(app_paths, poll_interval=0))
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    tab.start()
    try:
        tab.select_folder(fid)
        qtbot.waitUntil(lambda: tab.model.rowCount() == total + 1 and not tab.model.loading, timeout=10000)
        seen: list[tuple[int, bool, bool]] = []
        tab.model.loaded.connect(lambda: seen.append((tab.model.rowCount(), tab.model.loading, tab.model.completing)))
        tab.search_box.setFocus()
        type_text(tab.search_box, "quarterly")
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
        # The newest FIRST_PAGE hits are on screen and not "loading" while the complete list is queried...
        assert seen[0] == (FIRST_PAGE, False, True)
        # ...then every hit, newest first, with nothing pending.
        assert seen[1] == (total, False, False) and tab._full_search is None
        assert tab.model.index(0, COL_SUBJECT).data() == "Quarterly report 0"
        assert tab.model.index(total - 1, COL_SUBJECT).data() == f"Quarterly report {total - 1}"
    finally:
        tab.shutdown()
