// The timeline's events, drawn over plotly's lanes and laid out again at every zoom.
// Runs as plotly's post_script ({plot_id} is the plot div's id). Every text is set with
// textContent: nothing from an article is ever markup. See render.py for the design.
(function () {
  var gd = document.getElementById('{plot_id}');
  if (!gd || !window.Plotly || gd.dataset.timeline) { return; }
  gd.dataset.timeline = 'unpacking';

  // Blocks after the plot (the cards; with a summary, the events too) may not be parsed yet.
  function parsed() {
    if (document.readyState !== 'loading') { return Promise.resolve(); }
    return new Promise(function (done) { document.addEventListener('DOMContentLoaded', done, {once: true}); });
  }

  // The page's JSON blocks are gzipped and in base64 (render.packed_script).
  function unpack(name) {
    var store = document.getElementById('{plot_id}-' + name);
    if (!store && document.readyState === 'loading') { return parsed().then(function () { return unpack(name); }); }
    if (!store) { return Promise.resolve(null); }
    if (!window.DecompressionStream) { return Promise.reject(new Error('this browser cannot unpack the timeline')); }
    var text = atob(store.textContent.trim()), bytes = new Uint8Array(text.length);
    for (var k = 0; k < text.length; k++) { bytes[k] = text.charCodeAt(k); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  function failed(error) {
    gd.dataset.timeline = 'failed';
    gd.parentNode.insertBefore(document.createTextNode('The timeline could not be drawn: ' + error.message), gd);
  }

  // A large page carries a summary of its first view (render.first_view) ahead of the plot: drawn
  // at once, the events unpacked after the first frame. Otherwise the events are unpacked first.
  var summary = document.getElementById('{plot_id}-first');
  if (summary) { start(null, JSON.parse(summary.textContent)); }
  else { unpack('events').then(function (D) { start(D, null); }, failed); }

  function summaryRows(first) {  // the summary's items that may be drawn one by one, by their index
    var R = first.rows, D = {types: first.types, view: first.view, full: first.full, linkHours: first.linkHours};
    Object.keys(R).forEach(function (column) {
      if (column === 'i') { return; }
      D[column] = {};
      R.i.forEach(function (i, k) { D[column][i] = R[column][k]; });
    });
    return D;
  }

  // all: every event (page_data); first: else the summary of the first view, until they are unpacked
  function start(all, first) {
    var D = all || summaryRows(first), full = !!all;
    var N, DAY = 864e5, ROW = 20, FOOT = 17, FOOT_ROWS = 2, GAP = 10, PAD = 4;
    var LANES = ['violence', 'diplomacy'], AXES = [['xaxis', 'yaxis'], ['xaxis2', 'yaxis2']];
    var LEVELS = ['day', 'week', 'month', 'quarter', 'year', 'all'];
    var hidden = {}, withBackground = false, lastState = '', busy = false, pending = false, announced = false;

    // ---------------------------------------------------------------- derived columns
    var month, counted, periods;
    function derive() {
      N = D.id.length; month = new Int32Array(N); counted = new Uint8Array(N); periods = [];
      for (var i = 0, day = null, m = 0; i < N; i++) {
        if (D.start[i] !== day) { day = D.start[i]; m = monthOf(day); }  // sorted by day: one Date a day
        month[i] = m;
        // a cluster's toll counts a total's parts once (in the total) and leaves out figures over
        // months or years (a war's toll to date) that the cluster's days do not hold
        counted[i] = D.part[i] || !D.precise[i] || !D.point[i] ? 0 : 1;
        if (!D.point[i]) { periods.push(i); }
      }
    }
    if (full) { derive(); }
    function monthOf(day) { var d = new Date(day * DAY); return d.getUTCFullYear() * 12 + d.getUTCMonth(); }
    function mid(i) { return D.point[i] ? D.start[i] * DAY + DAY / 2 : D.start[i] * DAY; }
    // a day's bucket at each level (day, week, month, quarter, year, all): layout only compares them;
    // weeks from Monday (1 Jan 1970 was a Thursday)
    function keysOf(day, m) { return [day, Math.floor((day + 3) / 7), m, Math.floor(m / 3), Math.floor(m / 12), 0]; }

    // ---------------------------------------------------------------- atoms: what the layout groups
    // Each item; or, when more items are in view than a lane could label, each day: then every day
    // is collapsed at some level (the layout starts from clusters), so its items never part.
    function atomsOf(members, byDay) {
      var atoms = [];
      members.forEach(function (i, p) {
        var last = atoms[atoms.length - 1];
        if (byDay && last && last.day === D.start[i]) { addTo(last, i); return; }
        atoms.push(addTo({i: i, p: p, day: D.start[i], n: 0, lo: 0, hi: 0, t1: -Infinity,
                          k: keysOf(D.start[i], month[i])}, i));
      });
      function ids(a, b) {
        return members.slice(atoms[a].p, atoms[b - 1].p + atoms[b - 1].n).map(function (i) { return D.id[i]; }).join(' ');
      }
      return {atoms: atoms, count: members.length, each: !byDay, ids: ids};
    }
    function addTo(atom, i) {
      atom.n += 1; atom.lo += counted[i] * D.low[i]; atom.hi += counted[i] * D.high[i];
      if (D.end[i] + 1 > atom.t1) { atom.t1 = D.end[i] + 1; }
      return atom;
    }
    function summaryAtoms(group) {  // render._first_group: the same atoms, counted at build time
      var atoms = group.day.map(function (day, k) {
        return {i: group.i[k], day: day, n: group.n[k], lo: group.lo[k], hi: group.hi[k], t1: group.t1[k],
                cs: group.cs[k], k: keysOf(day, monthOf(day))};
      });
      function ids(a, b) { return group.ids.slice(atoms[a].cs, b < atoms.length ? atoms[b].cs - 1 : group.ids.length); }
      var count = atoms.reduce(function (s, atom) { return s + atom.n; }, 0);
      return {atoms: atoms, count: count, each: group.each, ids: ids};
    }
    var firstGroups = first ? first.groups.map(summaryAtoms) : null;

    // ---------------------------------------------------------------- page furniture
    var host = gd.parentNode;
    host.classList.add('tl-host');
    var layer = el('div', 'tl-layer');
    host.insertBefore(layer, gd.nextSibling);
    var legend = el('div', 'tl-legend');
    var card = el('div', 'tl-card');
    card.hidden = true;
    card.setAttribute('role', 'dialog');
    host.appendChild(legend);
    host.appendChild(card);
    var canvas = document.createElement('canvas').getContext('2d');
    canvas.font = '11px "Open Sans", verdana, arial, sans-serif';
    var widths = {};
    function textWidth(s) { return widths[s] || (widths[s] = Math.ceil(canvas.measureText(s).width) + 2); }
    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      if (text !== undefined) { e.textContent = text; }
      return e;
    }
    function colour(i) { return D.types[D.type[i]].colour; }
    function diameter(k) { return k > 0 ? Math.min(7 + 1.1 * Math.sqrt(k), 16) : 7; }
    function isoDay(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
    var WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    function dayText(day) {
      var d = new Date(day * DAY);
      return WEEKDAYS[d.getUTCDay()] + ' ' + d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
    }
    function when(i) {  // 'Mon 5 Sep 2016', '4–6 Sep 2016 (a period)', 'Aug 2013' (known to the month)
      if (D.point[i]) { return dayText(D.start[i]); }
      var a = new Date(D.start[i] * DAY);
      if (!D.precise[i] && D.end[i] - D.start[i] >= 27) {
        return D.end[i] - D.start[i] >= 364 ? String(a.getUTCFullYear()) : MONTHS[a.getUTCMonth()] + ' ' + a.getUTCFullYear();
      }
      return dayText(D.start[i]) + ' – ' + dayText(D.end[i]);
    }
    function hover(i) { return D.label[i] + '\n' + when(i) + ' · click for details'; }
    function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
    function range(lo, hi) { return lo === hi ? String(lo) : lo + '–' + hi; }

    // ---------------------------------------------------------------- units: single items and clusters
    function single(i, g, a) {  // a: its atom
      var x = g.px(mid(i)), r = D.point[i] ? diameter(D.best[i]) / 2 : 0, w = textWidth(D.label[i]);
      if (!D.point[i]) {
        var left = Math.max(g.px(D.start[i] * DAY), g.left), right = Math.min(g.px((D.end[i] + 1) * DAY), g.right);
        return {i: i, a: a, x: left, bar: [left, Math.max(right, left + 2)], x0: left,
                x1: Math.min(Math.max(right, left + w), g.right), n: 1};
      }
      var x0 = x - r, x1 = x + r + 3 + w;
      if (x1 > g.right) { x0 = x - r - 3 - w; x1 = x + r; }  // no room on the right: the label goes left
      return {i: i, a: a, x: x, r: r, x0: Math.max(x0, g.left), x1: Math.min(x1, g.right), flip: x1 === x + r, n: 1};
    }

    function clusterLabel(u) {
      var text = plural(u.n, 'event');
      if (u.hi > 0) { text += ' · ' + range(u.lo, u.hi) + ' killed'; }
      return text;
    }

    function cluster(group, a, b, level, g) {  // atoms a..b-1 of the group share one bucket of `level`
      var u = {cluster: true, level: level, group: group, a: a, b: b, n: 0, lo: 0, hi: 0, t0: Infinity, t1: -Infinity};
      for (var k = a; k < b; k++) {
        var atom = group.atoms[k];
        u.n += atom.n; u.lo += atom.lo; u.hi += atom.hi;
        if (atom.day < u.t0) { u.t0 = atom.day; }
        if (atom.t1 > u.t1) { u.t1 = atom.t1; }
      }
      var x = Math.min(Math.max(g.px((u.t0 + u.t1) / 2 * DAY), g.left + 8), g.right - 8);
      u.text = clusterLabel(u);
      u.x = x; u.x0 = x - 8; u.x1 = Math.min(x + 8 + 3 + textWidth(u.text), g.right);
      if (u.x1 === g.right) { u.x0 = Math.max(g.left, x - 8 - 3 - textWidth(u.text)); u.x1 = x + 8; u.flip = true; }
      return u;
    }

    function pack(units, rows) {
      units.sort(function (a, b) { return a.x0 - b.x0; });
      var ends = [], failed = [];
      for (var r = 0; r < rows; r++) { ends.push(-Infinity); }
      units.forEach(function (u) {
        for (var r = 0; r < rows; r++) {
          if (ends[r] + GAP <= u.x0) { ends[r] = u.x1; u.row = r; return; }
        }
        u.row = -1; failed.push(u);
      });
      return failed;
    }

    // Level of detail: items one by one where they fit; where they do not, the smallest bucket
    // (day, week, month...) holding more than the failing unit collapses into a cluster; repeat.
    // Atoms come sorted by day, so every bucket is a run of them: grouping walks runs.
    function countsAt(atoms, level) {
      var c = {};
      atoms.forEach(function (atom) { c[atom.k[level]] = (c[atom.k[level]] || 0) + atom.n; });
      return c;
    }

    // source: the members in view (every event unpacked) or the summary's group. Null when the
    // summary's days would have to part (the items could all be labelled): that waits for the events.
    function layoutLane(source, rows, g) {
      var count = source.atoms ? source.count : source.length;
      if (!count || rows < 1) { return []; }
      var capacity = rows * Math.max(1, g.width / 90);
      var group = source.atoms ? source : atomsOf(source, count > capacity), atoms = group.atoms;
      if (!group.each && count <= capacity) { return null; }
      var collapsed = LEVELS.map(function () { return {}; });
      var counts = LEVELS.map(function (_, level) { return countsAt(atoms, level); });
      if (count > capacity) {  // far too many to try one by one: start at a coarser level
        for (var level = 0; level < LEVELS.length; level++) {
          if (Object.keys(counts[level]).length <= capacity || level === LEVELS.length - 1) {
            Object.keys(counts[level]).forEach(function (k) { if (counts[level][k] > 1) { collapsed[level][k] = true; } });
            break;
          }
        }
      }
      for (var round = 0; round < 40; round++) {
        var units = unitsOf(group, collapsed, g);
        var failed = pack(units, rows);
        if (!failed.length) { return units; }
        var grew = false;
        failed.forEach(function (u) {
          var first = u.cluster ? u.level + 1 : 0, keys = atoms[u.a].k;
          for (var level = first; level < LEVELS.length; level++) {
            var k = keys[level];
            if (counts[level][k] > u.n || level === LEVELS.length - 1) {
              if (!collapsed[level][k]) { collapsed[level][k] = true; grew = true; }
              break;
            }
          }
        });
        if (!grew) { return units.filter(function (u) { return u.row >= 0; }); }
      }
      return units.filter(function (u) { return u.row >= 0; });
    }

    function unitsOf(group, collapsed, g) {
      var atoms = group.atoms, units = [], p = 0;
      while (p < atoms.length) {
        var keys = atoms[p].k, level = LEVELS.length - 1;
        while (level >= 0 && !collapsed[level][keys[level]]) { level--; }
        if (level < 0) { units.push(single(atoms[p].i, g, p)); p++; continue; }  // an atom of one item
        var k = keys[level], q = p + 1;
        while (q < atoms.length && atoms[q].k[level] === k) { q++; }
        units.push(cluster(group, p, q, level, g));
        p = q;
      }
      return units;
    }

    // ---------------------------------------------------------------- geometry and drawing
    function geometry(lane) {
      var full = gd._fullLayout, xa = full[AXES[lane][0]], ya = full[AXES[lane][1]];
      var a = xa.r2l(xa.range[0]), b = xa.r2l(xa.range[1]);
      var left = xa._offset, width = xa._length;
      return {a: a, b: b, left: left, right: left + width, width: width, top: ya._offset, height: ya._length,
              px: function (t) { return left + (t - a) / (b - a) * width; }};
    }

    function firstFrom(day) {  // the first item starting on or after `day` (items are sorted by day)
      var lo = 0, hi = N;
      while (lo < hi) { var h = (lo + hi) >> 1; if (D.start[h] < day) { lo = h + 1; } else { hi = h; } }
      return lo;
    }

    function shown(i, lane) {
      return D.lane[i] === lane && !hidden[D.type[i]] && !(D.background[i] && !withBackground);
    }

    function inView(lane, g) {
      var points = [], inside = [], last = firstFrom(Math.floor(g.b / DAY) + 1);
      for (var i = firstFrom(Math.floor(g.a / DAY) - 1); i < last; i++) {
        if (D.point[i] && mid(i) >= g.a && mid(i) <= g.b && shown(i, lane)) { points.push(i); }
      }
      periods.forEach(function (i) {
        if ((D.end[i] + 1) * DAY >= g.a && D.start[i] * DAY <= g.b && shown(i, lane)) { inside.push(i); }
      });
      return [points, inside];
    }

    // groups: the summary's (points and periods of each lane), else the members in view. False when
    // the summary cannot draw it.
    function drawLane(lane, box, placed, groups) {
      var g = geometry(lane), both = groups ? groups.slice(2 * lane, 2 * lane + 2) : inView(lane, g);
      var foot = (both[1].atoms ? both[1].count : both[1].length) ? FOOT_ROWS : 0;
      var rows = Math.floor((g.height - foot * FOOT - 2 * PAD) / ROW);
      var points = layoutLane(both[0], rows, g), bars = layoutLane(both[1], foot, g);
      if (!points || !bars) { return false; }
      points.forEach(function (u) {
        var top = g.top + PAD + u.row * ROW;
        box.appendChild(u.cluster ? drawCluster(u, top, ROW, g) : drawPoint(u, top, g));
        if (!u.cluster) { placed.push({lane: lane, x: u.x, y: top + ROW / 2, day: D.start[u.i]}); }
      });
      bars.forEach(function (u) {
        var top = g.top + g.height - (foot - u.row) * FOOT;
        box.appendChild(u.cluster ? drawCluster(u, top, FOOT, g) : drawPeriod(u, top));
      });
      return true;
    }

    function item(cls, u, top, height) {
      var e = el('div', cls);
      e.style.left = u.x0 + 'px'; e.style.top = top + 'px';
      e.style.width = (u.x1 - u.x0) + 'px'; e.style.height = height + 'px';
      e.tabIndex = 0;
      e.setAttribute('role', 'button');
      return e;
    }

    function drawPoint(u, top, g) {
      var i = u.i, e = item('event-label', u, top, ROW), mark = el('span', 'tl-mark');
      e.dataset.event = D.id[i];
      var dia = 2 * u.r, ring = D.high[i] > D.low[i] ? Math.min((diameter(D.high[i]) - dia) / 2 + 2, 4) : 0;
      mark.style.width = mark.style.height = dia + 'px';
      mark.style.left = (u.x - u.r - u.x0) + 'px'; mark.style.top = (ROW - dia) / 2 + 'px';
      mark.style.background = D.precise[i] ? colour(i) : '#fff';
      mark.style.borderColor = colour(i);
      if (ring) { mark.style.boxShadow = '0 0 0 ' + ring + 'px ' + colour(i) + '55'; }  // the toll's range
      var text = el('span', 'tl-text', D.label[i]);
      if (u.flip) { text.style.left = '0'; text.style.width = (u.x - u.r - 3 - u.x0) + 'px'; text.style.textAlign = 'right'; }
      else { text.style.left = (u.x + u.r + 3 - u.x0) + 'px'; text.style.right = '0'; }
      e.appendChild(mark); e.appendChild(text);
      e.title = hover(i);
      e.setAttribute('aria-label', D.label[i]);
      e.addEventListener('click', function () { openCard(i); });
      e.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { openCard(i); } });
      return e;
    }

    function drawPeriod(u, top) {
      var i = u.i, e = item('event-label tl-period', u, top, FOOT), bar = el('span', 'tl-bar');
      e.dataset.event = D.id[i];
      bar.style.left = (u.bar[0] - u.x0) + 'px'; bar.style.width = (u.bar[1] - u.bar[0]) + 'px';
      bar.style.background = colour(i);
      if (!D.precise[i]) { bar.classList.add('tl-rough'); }  // a date known to the month: its whole span
      e.appendChild(bar); e.appendChild(el('span', 'tl-text', D.label[i]));
      e.title = hover(i);
      e.setAttribute('aria-label', D.label[i]);
      e.addEventListener('click', function () { openCard(i); });
      e.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { openCard(i); } });
      return e;
    }

    function drawCluster(u, top, height, g) {
      var e = item('event-cluster', u, top, height);
      e.dataset.events = u.group.ids(u.a, u.b);
      var mark = el('span', 'tl-stack', String(u.n > 99 ? '99+' : u.n));
      mark.style.left = (u.x - 8 - u.x0) + 'px';
      var text = el('span', 'tl-text', u.text);
      if (u.flip) { text.style.left = '0'; text.style.width = (u.x - 11 - u.x0) + 'px'; text.style.textAlign = 'right'; }
      else { text.style.left = (u.x + 11 - u.x0) + 'px'; text.style.right = '0'; }
      e.appendChild(mark); e.appendChild(text);
      var span = isoDay(u.t0) + ' – ' + isoDay(u.t1 - 1);
      e.title = u.text + '\n' + span + ' · click to zoom in';
      e.setAttribute('aria-label', u.text + ', ' + span);
      function zoom() {
        var pad = Math.max(1, (u.t1 - u.t0) / 10);
        Plotly.relayout(gd, {'xaxis.range': [isoDay(u.t0 - pad), isoDay(u.t1 + pad)]});
      }
      e.addEventListener('click', zoom);
      e.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { zoom(); } });
      return e;
    }

    function drawLinks(box, placed) {
      if (!D.linkHours) { return; }
      var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'tl-links');
      placed.filter(function (p) { return p.lane === 1; }).forEach(function (d) {
        placed.filter(function (p) { return p.lane === 0 && Math.abs(p.day - d.day) * 24 <= D.linkHours; })
          .forEach(function (v) {
            var line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
            line.setAttribute('x1', d.x); line.setAttribute('y1', d.y); line.setAttribute('x2', v.x); line.setAttribute('y2', v.y);
            svg.appendChild(line);
          });
      });
      box.appendChild(svg);
    }

    // ---------------------------------------------------------------- the overview follows the zoom
    // Bins of the zoom's unit near the view (the view and as much again on either side); elsewhere
    // monthly averages in the same unit, so that a zoom into 5 years of days draws a few hundred
    // bars, not thousands, and the range slider still shows the whole period on one scale.
    function overview(a, b) {
      var days = (b - a) / DAY, unit = days <= 120 ? 'day' : days <= 3 * 365 ? 'week' : 'month';
      var unitDays = unit === 'day' ? 1 : unit === 'week' ? 7 : 0;
      var nearFrom = (a - (b - a)) / DAY, nearTo = (b + (b - a)) / DAY;
      var fine = [{}, {}], coarse = [{}, {}];
      for (var i = 0; i < N; i++) {
        if (hidden[D.type[i]] || (D.background[i] && !withBackground)) { continue; }
        var s = D.start[i], lane = D.lane[i];
        if (unit === 'month' || (s >= nearFrom && s <= nearTo)) {
          var key = unit === 'day' ? s : unit === 'week' ? Math.floor((s + 3) / 7) * 7 - 3 : month[i];
          fine[lane][key] = (fine[lane][key] || 0) + 1;
        } else {
          coarse[lane][month[i]] = (coarse[lane][month[i]] || 0) + 1;
        }
      }
      function monthStart(m) { return Math.floor(m / 12) + '-' + ('0' + (m % 12 + 1)).slice(-2) + '-01'; }
      function monthDays(m) { return new Date(Date.UTC(Math.floor(m / 12), m % 12 + 1, 0)).getUTCDate(); }
      var traces = [], update = {x: [], y: [], xperiod: [], xperiod0: [], hovertemplate: []};
      gd.data.forEach(function (t, k) {
        var role = t.meta && t.meta.role;
        if (role !== 'overview' && role !== 'overview-coarse') { return; }
        var lane = LANES.indexOf(t.meta.lane), bins = role === 'overview' ? fine[lane] : coarse[lane];
        var keys = Object.keys(bins).map(Number).sort(function (p, q) { return p - q; });
        traces.push(k);
        if (role === 'overview') {
          update.x.push(keys.map(function (key) { return unit === 'month' ? monthStart(key) : isoDay(key); }));
          update.y.push(keys.map(function (key) { return bins[key]; }));
          update.xperiod.push(unit === 'month' ? 'M1' : unitDays * DAY);
          update.xperiod0.push(unit === 'week' ? '2000-01-03' : '2000-01-01');
          update.hovertemplate.push(t.meta.lane + ': %{y} in the ' + unit + ' of %{x}<extra></extra>');
        } else {
          update.x.push(keys.map(monthStart));
          update.y.push(keys.map(function (key) { return bins[key] * unitDays / monthDays(key); }));
          update.xperiod.push('M1');
          update.xperiod0.push('2000-01-01');
          update.hovertemplate.push(t.meta.lane + ': %{y:.1f} per ' + unit + ' on average in the month of %{x}<extra></extra>');
        }
      });
      legendUnit.textContent = 'per ' + unit;
      return Plotly.update(gd, update, {'yaxis3.title.text': 'per ' + unit}, traces);
    }

    // ---------------------------------------------------------------- one drawing of everything
    // The view's range, types hidden and background: what the items and the overview follow.
    function viewKey(range) {
      var xa = gd._fullLayout.xaxis;
      return [xa.r2l(range[0]), xa.r2l(range[1]), JSON.stringify(hidden), withBackground].join('|');
    }
    // the page comes with the first view's overview, and the summary is of the first view
    var firstKey = D.view ? viewKey(D.view) : viewKey(gd._fullLayout.xaxis.range), overviewFor = firstKey;

    function draw() {
      if (busy || !gd._fullLayout || !gd._fullLayout.xaxis) { return; }
      var xa = gd._fullLayout.xaxis, key = viewKey(xa.range);
      var state = [xa.range[0], xa.range[1], gd.clientWidth, gd.clientHeight, JSON.stringify(hidden), withBackground].join('|');
      if (state === lastState) { return; }
      var groups = full ? null : key === firstKey && firstGroups, box = document.createDocumentFragment(), placed = [];
      if (!full && !(groups && drawLane(0, box, placed, groups) && drawLane(1, box, placed, groups))) {
        pending = true;  // another view, or items the summary does not hold: once the events are unpacked
        return;
      }
      if (full) { drawLane(0, box, placed); drawLane(1, box, placed); }
      lastState = state;
      layer.style.width = gd.clientWidth + 'px'; layer.style.height = gd.clientHeight + 'px';
      drawLinks(box, placed);
      layer.textContent = '';
      layer.appendChild(box);
      if (!full || key === overviewFor) { return; }
      overviewFor = key;
      busy = true;
      overview(xa.r2l(xa.range[0]), xa.r2l(xa.range[1])).then(function () { busy = false; }, function () { busy = false; });
    }

    // ---------------------------------------------------------------- the detail card
    // The cards come gzipped (render.cards_script): unpacked at the first click, as most readers
    // open few cards and a page of 100,000 events should not pay for them up front.
    var cardsLoaded = null;
    var FIELDS = ['title', 'how', 'where', 'who', 'toll', 'ledger', 'said', 'reports'];
    function loadCards() {
      if (!cardsLoaded) {
        cardsLoaded = unpack('cards').then(function (all) { return all || []; }, function () { return []; });
      }
      return cardsLoaded;
    }
    function openCard(i) { loadCards().then(function (all) { showCard(i, all[i] || []); }); }
    function showCard(i, row) {
      var c = {};
      FIELDS.forEach(function (f, k) { c[f] = row[k]; });
      card.textContent = '';
      var close = el('button', 'tl-close', '×');
      close.setAttribute('aria-label', 'Close');
      close.addEventListener('click', function () { card.hidden = true; });
      card.appendChild(close);
      card.appendChild(el('h3', null, c.title || D.label[i]));
      function line(name, value) {
        if (!value) { return; }
        var p = el('p'); p.appendChild(el('b', null, name + ': ')); p.appendChild(document.createTextNode(value));
        card.appendChild(p);
      }
      line('When', when(i) + (c.how ? ' — from ' + c.how : ''));
      line('Where', c.where);
      line('Who', c.who);
      line('Toll', c.toll);
      if (c.ledger && c.ledger.length) {
        card.appendChild(el('b', null, 'Each outlet’s figure'));
        var list = el('ul');
        c.ledger.forEach(function (x) { list.appendChild(el('li', null, x)); });
        card.appendChild(list);
      }
      if (c.said && c.said.length) {
        card.appendChild(el('b', null, 'Read from ' + plural(c.reports || 1, 'report')));
        c.said.forEach(function (s) {
          var q = el('blockquote', null, '“' + s[1] + '”');
          q.appendChild(el('cite', null, ' — ' + s[0]));
          card.appendChild(q);
        });
      }
      card.dataset.event = D.id[i];
      card.hidden = false;
      close.focus();
    }
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { card.hidden = true; } });

    // ---------------------------------------------------------------- the legend (below: any width)
    var legendUnit;
    (function buildLegend() {
      D.types.forEach(function (t, k) {
        var b = el('button', 'tl-key');
        b.type = 'button';
        b.setAttribute('aria-pressed', 'true');
        var sw = el('span', 'tl-swatch'); sw.style.background = t.colour;
        b.appendChild(sw); b.appendChild(document.createTextNode(t.label));
        b.title = 'Show or hide ' + t.label;
        b.addEventListener('click', function () {
          hidden[k] = !hidden[k];
          b.setAttribute('aria-pressed', hidden[k] ? 'false' : 'true');
          b.classList.toggle('tl-off', !!hidden[k]);
          draw();
        });
        legend.appendChild(b);
      });
      var strip = el('span', 'tl-overview-key');
      ['violence', 'diplomacy'].forEach(function (lane, k) {
        var sw = el('span', 'tl-swatch tl-square'); sw.style.background = k ? '#2166ac' : '#b2182b';
        strip.appendChild(sw); strip.appendChild(document.createTextNode(lane + ' '));
      });
      strip.appendChild(document.createTextNode('events '));
      legendUnit = el('span', null, gd.layout.yaxis3.title.text);
      strip.appendChild(legendUnit);
      strip.appendChild(document.createTextNode(' (strip below the lanes)'));
      legend.appendChild(strip);
      var n = first ? first.background : D.background.reduce(function (s, v) { return s + v; }, 0);
      if (n) {
        var label = el('label', 'tl-background'), box = el('input');
        box.type = 'checkbox';
        box.addEventListener('change', function () {
          withBackground = box.checked;
          var r = withBackground ? D.full : D.view;
          Plotly.relayout(gd, {'xaxis.range': r, 'xaxis3.rangeslider.range': r}).then(draw);
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(' show ' + plural(n, 'background event') + ' far outside the articles’ dates'));
        legend.appendChild(label);
      }
    })();

    // ---------------------------------------------------------------- drawn, then complete
    function announce() {  // the first view's events are on screen
      if (announced) { return; }
      announced = true;
      gd.dataset.timeline = 'drawn';
      gd.dispatchEvent(new CustomEvent('timeline:drawn'));
    }
    function complete() {
      gd.timelineData = D;  // for embedders and tests: the events as the page lays them out
      announce();
      gd.dataset.timeline = 'complete';
      gd.dispatchEvent(new CustomEvent('timeline:complete'));
    }
    // The summary drew the first view; every event is unpacked after its frame is painted (two
    // animation frames; at once in a hidden tab, which paints none). A draw asked for meanwhile
    // (zoom, toggle) waits for it: the summary's items are those the full data would draw.
    function afterFirstFrame(work) {
      if (document.visibilityState === 'hidden') { setTimeout(work, 0); return; }
      requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(work, 0); }); });
    }
    function unpackAll() {
      unpack('events').then(function (all) {
        D = all; full = true; derive();
        if (pending || !lastState) { pending = false; draw(); }
        complete();
      }, failed);
    }

    gd.on('plotly_afterplot', draw);
    gd.on('plotly_relayout', draw);
    window.addEventListener('resize', function () { setTimeout(draw, 50); });
    draw();
    if (full) { complete(); return; }
    // drawn from the summary while plotly's post_script runs: announced once the page's own
    // listeners (extra_script, after this one) are attached
    if (lastState) { Promise.resolve().then(announce); afterFirstFrame(unpackAll); } else { unpackAll(); }
  }
})();
