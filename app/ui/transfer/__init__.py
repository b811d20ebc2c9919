"""The Files tab: a dual-pane FTP/FTPS/SFTP client.

files_tab.py puts it together; backend.py is its only link to saved sites and sessions.
"""
