"""What the browser tests of the maps (chain maps and the national overview) read from a drawn map:
label boxes, the scale, the first view, and the whole map after "Hele kaart".

A map starts whole when its labels are readable that way (at least 12 CSS px), else readable on a
part of it with body[data-deel="ja"] (assets/kaartbeeld.js).
"""

from __future__ import annotations

READABLE_PX = 12

# Every visible node with its label: its bounding box in CSS px of the map element.
LABEL_BOXES = """() => {
  const net = window.ketenkaart.network, el = document.getElementById('kaart');
  return window.ketenkaart.nodes.get().filter(n => !n.hidden).map(n => {
    const b = net.getBoundingBox(n.id);
    const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
    return {id: n.id, left: a.x, top: a.y, right: z.x, bottom: z.y, width: el.clientWidth, height: el.clientHeight};
  });
}"""

# The size on screen (CSS px) of the label font, and whether the first view shows a part.
VIEW = """() => {
  const net = window.ketenkaart.network, font = JSON.parse(document.getElementById('kk-data').textContent).options.nodes.font.size;
  return {px: net.getScale() * font, deel: document.body.dataset.deel === 'ja',
          hint: !document.getElementById('kk-deel').hidden};
}"""


def wait_drawn(frame):
    frame.wait_for_selector("body[data-getekend]", state="attached", timeout=20_000)
    return frame


def first_view(frame) -> dict:
    """The first view: label size on screen (px), whether it is a part (deel), and whether the
    hint says so. Its labels are readable either way."""
    view = frame.evaluate(VIEW)
    assert view["px"] >= READABLE_PX - 0.01, f"labels op {view['px']:.1f} px bij het openen"
    assert view["hint"] == view["deel"], "de hint zegt niet (of ten onrechte) dat de kaart een deel toont"
    return view


def whole_map(frame) -> None:
    """Show the whole map, as a reader does with the "Hele kaart" button (when it shows a part)."""
    if frame.evaluate("document.body.dataset.deel === 'ja'"):
        frame.locator("#kk-passend").click()
        frame.wait_for_function("document.body.dataset.deel !== 'ja'")


def cut_labels(frame) -> list[str]:
    """The visible nodes whose box (with its label) reaches outside the map element."""
    boxes = frame.evaluate(LABEL_BOXES)
    assert boxes
    return [b["id"] for b in boxes if b["left"] < -0.5 or b["top"] < -0.5
            or b["right"] > b["width"] + 0.5 or b["bottom"] > b["height"] + 0.5]
