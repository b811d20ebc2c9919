"""The Site Manager: saved sites in folders, every per-site setting, imports, and connect.

Passwords typed here go to the system keyring only (an empty field leaves the stored one alone).
Imports read FileZilla's ``sitemanager.xml`` (its base64 passwords go straight to the keyring)
and OpenSSH's ``~/.ssh/config`` (one SFTP site per concrete ``Host``).

Signals:
    connect_requested(object, bool): connect to this :class:`Site` (True: in a new tab).
    sites_changed(): sites were added, changed or removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import QuayError
from app.core.transfer.sites import DEFAULT_PORTS, Site
from app.ui.transfer.backend import TRANSFER_MODES, FilesBackend
from app.ui.transfer.icons import icon

SITE_ROLE = Qt.ItemDataRole.UserRole + 1
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 2
AUTH_METHODS = ("password", "ask", "key", "agent", "interactive", "anonymous")
ENCODINGS = ("", "utf-8", "cp1252", "cp1251", "iso-8859-1", "iso-8859-2", "shift_jis", "gbk", "big5")


class SiteManagerDialog(QDialog):
    """See the module docstring.  Not modal: it stays open beside the main window if the user likes."""

    connect_requested = Signal(object, bool)
    sites_changed = Signal()

    def __init__(self, backend: FilesBackend, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("site-manager")
        self.backend = backend
        self.settings = settings
        self.current: Site | None = None
        self.setWindowTitle(self.tr("Site Manager"))
        self.resize(820, 560)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("site-tree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Sites"))
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._connect(False) if item.data(0, SITE_ROLE) else None)
        self.tree.itemChanged.connect(self._item_renamed)

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.tree, 1)
        row1 = QHBoxLayout()
        self.new_site_button = QPushButton(icon("document-new"), self.tr("&New site"), self)
        self.new_folder_button = QPushButton(icon("folder-new"), self.tr("New &folder"), self)
        row1.addWidget(self.new_site_button)
        row1.addWidget(self.new_folder_button)
        row2 = QHBoxLayout()
        self.duplicate_button = QPushButton(icon("edit-copy"), self.tr("D&uplicate"), self)
        self.rename_button = QPushButton(icon("edit-rename"), self.tr("Rena&me"), self)
        self.delete_button = QPushButton(icon("edit-delete"), self.tr("&Delete"), self)
        for b in (self.duplicate_button, self.rename_button, self.delete_button):
            row2.addWidget(b)
        self.import_button = QPushButton(self.tr("&Import…"), self)
        import_menu = QMenu(self)
        self.import_fz_action = import_menu.addAction(self.tr("FileZilla site manager (sitemanager.xml)…"))
        self.import_ssh_action = import_menu.addAction(self.tr("OpenSSH client configuration (~/.ssh/config)…"))
        self.import_button.setMenu(import_menu)
        lv.addLayout(row1)
        lv.addLayout(row2)
        lv.addWidget(self.import_button)

        right = QWidget(self)
        form = QFormLayout(right)
        self.name = QLineEdit(right)
        self.name.setObjectName("site-name")
        self.folder = QComboBox(right)
        self.folder.setObjectName("site-folder")
        self.folder.setEditable(True)
        self.protocol = QComboBox(right)
        self.protocol.setObjectName("site-protocol")
        for p, label in self.protocol_names().items():
            self.protocol.addItem(label, p)
        self.protocol.currentIndexChanged.connect(self._protocol_changed)
        self.host = QLineEdit(right)
        self.host.setObjectName("site-host")
        self.port = QSpinBox(right)
        self.port.setObjectName("site-port")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(self.tr("Default"))
        self.user = QLineEdit(right)
        self.user.setObjectName("site-user")
        self.auth = QComboBox(right)
        self.auth.setObjectName("site-auth")
        auth_names = {
            "password": self.tr("Password (kept in the keyring)"),
            "ask": self.tr("Ask for the password each time"),
            "key": self.tr("Key file"),
            "agent": self.tr("SSH agent"),
            "interactive": self.tr("Interactive (keyboard)"),
            "anonymous": self.tr("Anonymous"),
        }
        for a in AUTH_METHODS:
            self.auth.addItem(auth_names[a], a)
        self.password = QLineEdit(right)
        self.password.setObjectName("site-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.key_file = QLineEdit(right)
        self.key_file.setObjectName("site-key-file")
        key_browse = QPushButton(self.tr("Browse…"), right)
        key_browse.clicked.connect(self._browse_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_file, 1)
        key_row.addWidget(key_browse)
        self.local_dir = QLineEdit(right)
        self.local_dir.setObjectName("site-local-dir")
        self.remote_dir = QLineEdit(right)
        self.remote_dir.setObjectName("site-remote-dir")
        self.mode = QComboBox(right)
        self.mode.setObjectName("site-transfer-mode")
        for m, label in zip(
            TRANSFER_MODES,
            (self.tr("Automatic (text files as ASCII)"), self.tr("Binary"), self.tr("ASCII")),
            strict=True,
        ):
            self.mode.addItem(label, m)
        self.passive = QCheckBox(self.tr("Passive mode (recommended behind routers and firewalls)"), right)
        self.passive.setObjectName("site-passive")
        self.encoding = QComboBox(right)
        self.encoding.setObjectName("site-encoding")
        self.encoding.setEditable(True)
        for enc in ENCODINGS:
            self.encoding.addItem(enc or self.tr("Automatic (UTF-8)"), enc)
        self.connections = QSpinBox(right)
        self.connections.setObjectName("site-connections")
        self.connections.setRange(1, 10)
        self.public_url = QLineEdit(right)
        self.public_url.setObjectName("site-public-url")
        self.public_url.setPlaceholderText("https://files.example.com/")
        self.comment = QLineEdit(right)
        self.comment.setObjectName("site-comment")
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("F&older:"), self.folder)
        form.addRow(self.tr("&Protocol:"), self.protocol)
        form.addRow(self.tr("&Host:"), self.host)
        form.addRow(self.tr("P&ort:"), self.port)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Log-in:"), self.auth)
        form.addRow(self.tr("Pass&word:"), self.password)
        form.addRow(self.tr("&Key file:"), key_row)
        form.addRow(self.tr("Local folder:"), self.local_dir)
        form.addRow(self.tr("Remote folder:"), self.remote_dir)
        form.addRow(self.tr("Transfer &mode:"), self.mode)
        form.addRow("", self.passive)
        form.addRow(self.tr("&Encoding:"), self.encoding)
        form.addRow(self.tr("Parallel &connections:"), self.connections)
        form.addRow(self.tr("Public &URL prefix:"), self.public_url)
        form.addRow(self.tr("Co&mment:"), self.comment)
        self.form_widget = right

        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([280, 540])
        self.buttons = QDialogButtonBox(self)
        self.connect_button = self.buttons.addButton(self.tr("&Connect"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("site-connect")
        self.connect_tab_button = self.buttons.addButton(
            self.tr("Connect in new &tab"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.connect_tab_button.setObjectName("site-connect-tab")
        self.save_button = self.buttons.addButton(self.tr("&Save"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setObjectName("site-save")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("site-status")
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)

        self.new_site_button.clicked.connect(self.new_site)
        self.new_folder_button.clicked.connect(lambda: self.new_folder(self.tr("New folder")))
        self.duplicate_button.clicked.connect(self.duplicate)
        self.rename_button.clicked.connect(self._start_rename)
        self.delete_button.clicked.connect(self.delete_current)
        self.import_fz_action.triggered.connect(self._choose_filezilla)
        self.import_ssh_action.triggered.connect(self._choose_ssh_config)
        self.connect_button.clicked.connect(lambda: self._connect(False))
        self.connect_tab_button.clicked.connect(lambda: self._connect(True))
        self.save_button.clicked.connect(self.save_current)
        self.rename_button.setShortcut(QKeySequence("F2"))
        self._filling = False
        self.reload()

    def protocol_names(self) -> dict[str, str]:
        return {
            "ftp": self.tr("FTP (no encryption)"),
            "ftps": self.tr("FTPS (explicit TLS)"),
            "ftpsi": self.tr("FTPS (implicit TLS)"),
            "sftp": self.tr("SFTP (SSH)"),
            "tftp": self.tr("TFTP (no log-in, no encryption)"),
        }

    # --- the tree ----------------------------------------------------------------------------

    def _extra_folders(self) -> list[str]:
        value = self.settings.value("files/site_folders", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or []]

    def reload(self, select_id: str | None = None) -> None:
        self._filling = True
        self.tree.clear()
        folders: dict[str, QTreeWidgetItem] = {}

        def folder_item(path: str) -> QTreeWidgetItem | None:
            if not path:
                return None
            if path in folders:
                return folders[path]
            parent_path, _, name = path.rpartition("/")
            parent = folder_item(parent_path)
            item = QTreeWidgetItem([name])
            item.setIcon(0, icon("folder"))
            item.setData(0, FOLDER_ROLE, path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            folders[path] = item
            return item

        for f in sorted(self._extra_folders()):
            folder_item(f)
        selected = None
        for site in sorted(self.backend.sites(), key=lambda s: (s.folder.lower(), s.name.lower())):
            parent = folder_item(site.folder)
            item = QTreeWidgetItem([site.name])
            item.setIcon(0, icon("network-server"))
            item.setData(0, SITE_ROLE, site.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            if site.id == select_id:
                selected = item
        self.tree.expandAll()
        self.folder.clear()
        self.folder.addItem("")
        for f in sorted(set(folders)):
            self.folder.addItem(f)
        self._filling = False
        if selected is not None:
            self.tree.setCurrentItem(selected)
        else:
            self._current_changed(self.tree.currentItem(), None)

    def site_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            it = stack.pop(0)
            if it is None:
                continue
            if it.data(0, SITE_ROLE):
                out.append(it)
            stack.extend(it.child(i) for i in range(it.childCount()))
        return out

    def select_site(self, name_or_id: str) -> bool:
        for it in self.site_items():
            site = self.backend.site_store.get(str(it.data(0, SITE_ROLE)))
            if site is not None and name_or_id in (site.id, site.name):
                self.tree.setCurrentItem(it)
                return True
        return False

    def _current_changed(self, item: QTreeWidgetItem | None, _prev: Any) -> None:
        if self._filling:
            return
        site_id = item.data(0, SITE_ROLE) if item is not None else None
        site = self.backend.site_store.get(str(site_id)) if site_id else None
        self.current = site
        self.form_widget.setEnabled(site is not None)
        for b in (self.duplicate_button, self.connect_button, self.connect_tab_button, self.save_button):
            b.setEnabled(site is not None)
        self.rename_button.setEnabled(item is not None)
        self.delete_button.setEnabled(item is not None)
        if site is not None:
            self._fill(site)

    def _fill(self, site: Site) -> None:
        extra = self.backend.site_settings(site)
        self.name.setText(site.name)
        self.folder.setCurrentText(site.folder)
        self.protocol.setCurrentIndex(max(0, self.protocol.findData(site.protocol)))
        self.host.setText(site.host)
        self.port.setValue(site.port or 0)
        self.user.setText(site.user)
        self.auth.setCurrentIndex(max(0, self.auth.findData(site.auth)))
        self.password.clear()
        self.key_file.setText(site.key_file or "")
        self.local_dir.setText(site.local_dir or "")
        self.remote_dir.setText(site.remote_dir or "")
        self.mode.setCurrentIndex(max(0, self.mode.findData(extra.get("transfer_mode", "auto"))))
        self.passive.setChecked(site.passive)
        idx = self.encoding.findData(site.encoding or "")
        if idx >= 0:
            self.encoding.setCurrentIndex(idx)
        else:
            self.encoding.setCurrentText(site.encoding or "")
        self.connections.setValue(max(1, min(10, site.max_connections)))
        self.public_url.setText(str(extra.get("public_url_prefix") or ""))
        self.comment.setText(site.comment)
        self._protocol_changed()

    def _protocol_changed(self, *_a: Any) -> None:
        proto = str(self.protocol.currentData())
        self.port.setSpecialValueText(self.tr("Default (%1)").replace("%1", str(DEFAULT_PORTS.get(proto, ""))))
        is_ftp = proto.startswith("ftp")
        self.passive.setEnabled(is_ftp)
        self.mode.setEnabled(is_ftp)
        self.encoding.setEnabled(is_ftp)
        self.key_file.setEnabled(proto == "sftp")

    # --- editing ---------------------------------------------------------------------------

    def _form_site(self, base: Site) -> Site:
        text = self.encoding.currentText().strip()
        known = self.encoding.findText(text)
        encoding = str(self.encoding.itemData(known) or "") if known >= 0 else text
        return Site(
            name=self.name.text().strip() or base.name,
            protocol=str(self.protocol.currentData()),  # type: ignore[arg-type]
            host=self.host.text().strip(),
            port=self.port.value() or None,
            user=self.user.text().strip(),
            auth=str(self.auth.currentData()),
            key_file=self.key_file.text().strip() or None,
            local_dir=self.local_dir.text().strip() or None,
            remote_dir=self.remote_dir.text().strip() or None,
            encoding=encoding or None,
            passive=self.passive.isChecked(),
            max_connections=self.connections.value(),
            comment=self.comment.text(),
            folder=self.folder.currentText().strip().strip("/"),
            id=base.id,
        )

    def save_current(self) -> bool:
        """Save the form into the selected site (the password, if typed, into the keyring)."""
        if self.current is None:
            return False
        site = self._form_site(self.current)
        if not site.host:
            self.status.setText(self.tr("A site needs a host name."))
            return False
        settings = {"public_url_prefix": self.public_url.text().strip(), "transfer_mode": str(self.mode.currentData())}
        password = self.password.text() or None
        try:
            self.backend.save_site(site, password=password if site.auth == "password" else None, settings=settings)
        except QuayError as e:
            self.status.setText(str(e))
            return False
        self.password.clear()
        self.current = site
        self.status.setText(self.tr("Saved."))
        self.reload(select_id=site.id)
        self.sites_changed.emit()
        return True

    def new_site(self) -> Site:
        folder = ""
        item = self.tree.currentItem()
        if item is not None:
            folder = str(item.data(0, FOLDER_ROLE) or "")
            if not folder and item.data(0, SITE_ROLE):
                s = self.backend.site_store.get(str(item.data(0, SITE_ROLE)))
                folder = s.folder if s else ""
        site = Site(name=self._free_name(self.tr("New site")), protocol="sftp", host="", folder=folder)
        self.backend.save_site(site)
        self.reload(select_id=site.id)
        self.name.setFocus()
        self.name.selectAll()
        self.sites_changed.emit()
        return site

    def new_folder(self, name: str) -> str:
        item = self.tree.currentItem()
        base = str(item.data(0, FOLDER_ROLE) or "") if item is not None else ""
        path = f"{base}/{name}" if base else name
        folders = self._extra_folders()
        if path not in folders:
            self.settings.set_value("files/site_folders", [*folders, path])
        self.reload()
        return path

    def _free_name(self, base: str) -> str:
        names = {s.name for s in self.backend.sites()}
        if base not in names:
            return base
        i = 2
        while f"{base} ({i})" in names:
            i += 1
        return f"{base} ({i})"

    def duplicate(self) -> Site | None:
        if self.current is None:
            return None
        copy = self.backend.duplicate_site(self.current, self._free_name(self.current.name))
        pw = self.backend.site_password(self.current)
        if pw:
            self.backend.save_site(copy, password=pw)
        self.reload(select_id=copy.id)
        self.sites_changed.emit()
        return copy

    def _start_rename(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, 0)

    def rename_current(self, new_name: str) -> None:
        item = self.tree.currentItem()
        if item is not None:
            item.setText(0, new_name)  # goes through _item_renamed

    def _item_renamed(self, item: QTreeWidgetItem, _col: int) -> None:
        if self._filling:
            return
        new = item.text(0).strip()
        site_id = item.data(0, SITE_ROLE)
        if site_id:
            site = self.backend.site_store.get(str(site_id))
            if site is not None and new and new != site.name:
                site.name = new
                self.backend.save_site(site)
                self.sites_changed.emit()
                self.reload(select_id=site.id)
            return
        old = str(item.data(0, FOLDER_ROLE) or "")
        if old and new and "/" not in new:
            parent, _, _name = old.rpartition("/")
            path = f"{parent}/{new}" if parent else new
            for s in self.backend.sites():
                if s.folder == old or s.folder.startswith(old + "/"):
                    s.folder = path + s.folder[len(old) :]
                    self.backend.save_site(s)
            folders = [
                path + f[len(old) :] if f == old or f.startswith(old + "/") else f for f in self._extra_folders()
            ]
            self.settings.set_value("files/site_folders", folders)
            self.sites_changed.emit()
            self.reload()

    def delete_current(self, *, confirm: bool = True) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        site_id = item.data(0, SITE_ROLE)
        if site_id:
            site = self.backend.site_store.get(str(site_id))
            if site is None:
                return
            if confirm and not self._confirm(
                self.tr("Delete the site %1 and its saved password?").replace("%1", site.name)
            ):
                return
            self.backend.remove_site(site)
        else:
            folder = str(item.data(0, FOLDER_ROLE) or "")
            inside = [s for s in self.backend.sites() if s.folder == folder or s.folder.startswith(folder + "/")]
            if confirm and not self._confirm(
                self.tr("Delete the folder %1 and the %n site(s) in it?", "", len(inside)).replace("%1", folder)
            ):
                return
            for s in inside:
                self.backend.remove_site(s)
            self.settings.set_value(
                "files/site_folders",
                [f for f in self._extra_folders() if f != folder and not f.startswith(folder + "/")],
            )
        self.current = None
        self.reload()
        self.sites_changed.emit()

    def _confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete"), text, parent=self)
        yes = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def _browse_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a private key"), str(Path.home() / ".ssh"))
        if path:
            self.key_file.setText(path)

    # --- imports -----------------------------------------------------------------------------

    def _choose_filezilla(self) -> None:
        start = Path.home() / ".config" / "filezilla" / "sitemanager.xml"
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import FileZilla sites"), str(start), self.tr("FileZilla site manager (*.xml)")
        )
        if path:
            self.import_filezilla_file(Path(path))

    def _choose_ssh_config(self) -> None:
        start = Path.home() / ".ssh" / "config"
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import OpenSSH hosts"), str(start))
        if path:
            self.import_ssh_config_file(Path(path))

    def import_filezilla_file(self, path: Path) -> None:
        self._report(lambda: self.backend.import_filezilla(path))

    def import_ssh_config_file(self, path: Path) -> None:
        self._report(lambda: self.backend.import_ssh_config(path))

    def _report(self, run: Any) -> None:
        try:
            report = run()
        except QuayError as e:
            self.status.setText(self.tr("Import failed: %1").replace("%1", str(e)))
            return
        text = self.tr("Imported %n site(s).", "", len(report.sites))
        if report.passwords_stored:
            text += " " + self.tr("%n password(s) stored in the keyring.", "", report.passwords_stored)
        if report.skipped:
            text += " " + self.tr("Skipped: %1").replace("%1", "; ".join(report.skipped[:5]))
        self.status.setText(text)
        self.reload(select_id=report.sites[0].id if report.sites else None)
        self.sites_changed.emit()

    # --- connect -----------------------------------------------------------------------------

    def _connect(self, new_tab: bool) -> None:
        if self.current is None:
            return
        if not self.save_current() or self.current is None:
            return
        self.connect_requested.emit(self.current, new_tab)
        if not new_tab:
            self.accept()
