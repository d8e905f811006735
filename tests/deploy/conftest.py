"""nginx with the server block of docs/deploy.md, in front of the live server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from . import nginx


@pytest.fixture(scope="module")
def front(live_server, tmp_path_factory):
    """nginx with the documented server block, proxying to the live server.

    One per test module; ``pages`` and ``static`` are the folders the block
    serves page files and static files from.
    """
    nginx_bin, openssl = nginx.need_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    folders = nginx.Folders(
        *(folder / name for name in ("pages", "static", "media", "acme"))
    )
    for path in vars(folders).values():
        path.mkdir()
    cert, key = nginx.self_signed_certificate(openssl, folder)
    https_port, http_port = nginx.free_port(), nginx.free_port()
    block = nginx.adapted_block(
        https_port=https_port,
        http_port=http_port,
        app_port=urlsplit(live_server.url).port,
        cert=cert,
        key=key,
        folders=folders,
    )
    process = nginx.start(nginx_bin, nginx.write_config(folder, block), https_port)
    yield {
        "port": https_port,
        "pages": folders.pages,
        "static": folders.static,
        "folder": folder,
    }
    nginx.stop(process)
