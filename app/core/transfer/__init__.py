"""File transfer: FTP/FTPS, SFTP, TFTP sessions, listings and the transfer queue."""
