"""Known ways an HTML mail can make a client fetch a URL (a read receipt the reader never agreed to).

Each trick is one HTML snippet pointing at ``base`` (a local HTTP server in the tests, which
counts requests) with a unique path, so a hit names the trick that leaked. Used by the
sanitizer test (no reference may survive) and by the message-view test (the renderer, fed
the raw HTML too, must make zero requests).
"""

from __future__ import annotations


def tricks(base: str) -> dict[str, str]:
    """name -> HTML snippet. ``base`` is ``http://127.0.0.1:PORT`` (no trailing slash)."""
    host = base.split("://", 1)[1]
    b = base
    return {
        "img": f'<img src="{b}/img.png">',
        "img-protocol-relative": f'<img src="//{host}/protorel.png">',
        "img-uppercase-scheme": f'<img src="HTTP://{host}/upper.png">',
        "img-leading-space": f'<img src="  {b}/space.png">',
        "img-srcset": f'<img src="cid:x" srcset="{b}/srcset.png 1x">',
        "img-lowsrc-dynsrc": f'<img lowsrc="{b}/lowsrc.png" dynsrc="{b}/dynsrc.png">',
        "picture-source": f'<picture><source srcset="{b}/picture.png"><img alt="p"></picture>',
        "video-poster": f'<video poster="{b}/poster.png"></video>',
        "audio-src": f'<audio src="{b}/audio.mp3" autoplay></audio>',
        "body-background": f'<body background="{b}/body-bg.png">x</body>',
        "table-background": f'<table background="{b}/table-bg.png"><tr><td>t</td></tr></table>',
        "td-background": f'<table><tr><td background="{b}/td-bg.png">t</td></tr></table>',
        "link-stylesheet": f'<link rel="stylesheet" href="{b}/link.css">',
        "link-prefetch": f'<link rel="prefetch" href="{b}/prefetch">',
        "link-dns-preconnect": f'<link rel="preconnect" href="{b}/preconnect">',
        "meta-refresh": f'<meta http-equiv="refresh" content="0;url={b}/refresh">',
        "base-href": f'<base href="{b}/base/"><img src="relative.png">',
        "style-attr-url": f"<p style=\"background:url('{b}/style-attr.png')\">s</p>",
        "style-attr-escaped-url": f'<p style="background:u\\rl({b}/escaped1.png)">s</p>',
        "style-attr-hex-escape": f'<p style="background:\\75 rl({b}/escaped2.png)">s</p>',
        "style-attr-entity": f'<p style="background:url&#40;{b}/entity.png&#41;">s</p>',
        "style-attr-image-set": f"<p style=\"background-image:image-set('{b}/imageset.png' 1x)\">s</p>",
        "style-attr-webkit-image-set": f'<p style="background-image:-webkit-image-set(url({b}/wis.png) 1x)">s</p>',
        "style-attr-list-style": f'<ul style="list-style:url({b}/list.png)"><li>l</li></ul>',
        "style-attr-cursor": f'<p style="cursor:url({b}/cursor.cur),auto">c</p>',
        "style-attr-border-image": f'<p style="border-image:url({b}/border.png) 30 round">b</p>',
        "style-attr-content": f'<p style="content:url({b}/content.png)">c</p>',
        "style-block-url": f"<style>body{{background:url({b}/block.png)}}</style>",
        "style-block-import": f'<style>@import url("{b}/import.css");</style>',
        "style-block-import-string": f"<style>@import '{b}/import-string.css';</style>",
        "style-block-escaped-import": f"<style>@\\69mport url({b}/import-escaped.css);</style>",
        "style-block-font-face": (
            f"<style>@font-face{{font-family:x;src:url({b}/font.woff)}}p{{font-family:x}}</style>"
        ),
        "style-block-media": f"<style>@media screen{{p{{background:url({b}/media.png)}}}}</style>",
        "style-block-comment-split": f"<style>p{{background:url/**/({b}/comment.png)}}</style>",
        "style-block-breakout": f"<style>p{{content:'</style><img src={b}/breakout.png>'}}</style>",
        "style-unclosed": f"<style>p{{background:url({b}/unclosed.png)}}",
        "svg-image": f'<svg><image href="{b}/svg.png"/></svg>',
        "object-data": f'<object data="{b}/object"></object>',
        "embed-src": f'<embed src="{b}/embed">',
        "iframe-src": f'<iframe src="{b}/iframe"></iframe>',
        "input-image": f'<input type="image" src="{b}/input.png">',
        "a-ping": f'<a href="https://example.test/" ping="{b}/ping">link</a>',
        "form-action": f'<form action="{b}/form"><button>go</button></form>',
        "script-fetch": f'<script>new Image().src="{b}/script.png"</script>',
    }


def trick_document(base: str) -> str:
    """All tricks in one message body."""
    return "<html><head></head><body>" + "\n".join(tricks(base).values()) + "</body></html>"
