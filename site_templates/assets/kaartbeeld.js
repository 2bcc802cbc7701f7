/* The view both maps share: the chain maps (kaart.js) and the national overview (overzicht.js).
 *
 * kkBeeld(network, container, nodes, startId, fontSize) sets up the view of a vis-network map:
 *
 * - A readable first view. Labels are fontSize map units high, so below the scale 12 / fontSize
 *   they would be drawn smaller than 12 CSS px. When the whole map fits the screen at a readable
 *   scale, it is shown whole. Otherwise (a big chain, or most chains on a phone) the map starts at
 *   the readable scale on its starting point (a chain's way in; the most shared organisation),
 *   kept within the map, and the hint says that this is a part; "Hele kaart" shows everything.
 *   body[data-deel] is "ja" while that first, partial view is shown.
 * - The buttons: zoom in, zoom out, the whole map ("Hele kaart": every visible node with its
 *   label, with a small margin, so that no label is cut off at the edges).
 * - A mouse wheel over the map scrolls the page unless Ctrl or Cmd is held (a trackpad pinch also
 *   sends Ctrl): the event is stopped on its way to vis-network's canvas.
 * - After the first drawing body[data-getekend] holds the number of nodes drawn.
 *
 * It returns { fit, start, reveal, readable }: reveal(id) brings a node into view at a readable
 * scale when it is not. kkEl(tag, text, attrs) makes an element whose text is set as text.
 */
(function () {
  "use strict";

  /* An element with its text set as text, never parsed as HTML (names come from data). */
  window.kkEl = function (tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  };

  window.kkBeeld = function (network, container, nodes, startId, fontSize) {
    var READABLE = 12 / fontSize; // the smallest scale at which labels are at least 12 CSS px
    var MARGIN = 12; // CSS px kept free around the whole map
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var deel = document.getElementById("kk-deel");
    var mode = "start";

    function bounds() {
      // vis-network's bounding boxes include the label once drawn
      var ids = nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; });
      if (!ids.length) { return null; }
      var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
      ids.forEach(function (id) {
        var b = network.getBoundingBox(id);
        box.left = Math.min(box.left, b.left); box.right = Math.max(box.right, b.right);
        box.top = Math.min(box.top, b.top); box.bottom = Math.max(box.bottom, b.bottom);
      });
      return box;
    }

    function room() {
      return { width: Math.max(container.clientWidth - 2 * MARGIN, 1), height: Math.max(container.clientHeight - 2 * MARGIN, 1) };
    }

    function fitScale(box) {
      var r = room();
      return Math.min(r.width / Math.max(box.right - box.left, 1), r.height / Math.max(box.bottom - box.top, 1), 1.5);
    }

    function partial(on) {
      document.body.setAttribute("data-deel", on ? "ja" : "");
      if (deel) { deel.hidden = !on; }
    }

    function fit() {
      mode = "geheel";
      var box = bounds();
      if (!box) { return; }
      network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                       scale: fitScale(box), animation: false });
      partial(false);
    }

    // the middle of a view of `half` map units either side, kept within [low, high]
    function within(value, low, high, half) {
      if (high - low <= 2 * half) { return (low + high) / 2; }
      return Math.min(Math.max(value, low + half), high - half);
    }

    function start() {
      mode = "start";
      var box = bounds();
      if (!box) { return; }
      var scale = fitScale(box);
      if (scale >= READABLE) { fit(); mode = "start"; return; }
      var node = startId ? nodes.get(startId) : null;
      var p = node && !node.hidden ? network.getPosition(startId)
                                   : { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 };
      var halfWidth = container.clientWidth / 2 / READABLE, halfHeight = container.clientHeight / 2 / READABLE;
      network.moveTo({ position: { x: within(p.x, box.left - MARGIN, box.right + MARGIN, halfWidth),
                                   y: within(p.y, box.top - MARGIN, box.bottom + MARGIN, halfHeight) },
                       scale: READABLE, animation: false });
      partial(true);
    }

    function zoom(factor) {
      network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * factor,
                       animation: reduced ? false : { duration: 200, easingFunction: "easeInOutQuad" } });
    }

    function reveal(id) {
      // bring a chosen node into view, readable, when it is not
      var p = network.canvasToDOM(network.getPosition(id));
      var inside = p.x > 0 && p.y > 0 && p.x < container.clientWidth && p.y < container.clientHeight;
      if (!inside || network.getScale() < READABLE) {
        network.focus(id, { scale: Math.max(network.getScale(), 1), animation: reduced ? false : { duration: 300 } });
      }
    }

    container.addEventListener("wheel", function (event) {
      if (!(event.ctrlKey || event.metaKey)) { event.stopPropagation(); }
    }, { capture: true });

    document.getElementById("kk-in").addEventListener("click", function () { zoom(1.3); });
    document.getElementById("kk-uit").addEventListener("click", function () { zoom(1 / 1.3); });
    document.getElementById("kk-passend").addEventListener("click", fit);

    network.once("afterDrawing", function () {
      start();
      // the hint may now take another line, which makes the map smaller: settle the view first
      window.requestAnimationFrame(function () {
        resized(true);
        document.body.setAttribute("data-getekend", String(nodes.length));
      });
    });
    // When the map's size changes (the window turns, or the hint above it wraps onto another
    // line), show the same kind of view again: vis-network alone would only rescale the old one.
    var lastSize = [container.clientWidth, container.clientHeight];
    function resized(now) {
      var size = [container.clientWidth, container.clientHeight];
      if (size[0] === lastSize[0] && size[1] === lastSize[1]) { return; }
      lastSize = size;
      var again = function () { if (mode === "start") { start(); } else { fit(); } };
      if (now === true) { again(); } else { window.requestAnimationFrame(again); }
    }
    if (window.ResizeObserver) { new window.ResizeObserver(function () { resized(false); }).observe(container); }
    window.addEventListener("resize", function () { resized(false); });

    return { fit: fit, start: start, reveal: reveal, readable: READABLE };
  };
})();
