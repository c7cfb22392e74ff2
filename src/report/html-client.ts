// The HTML report's inline style and script (kept here as text: the page must not load anything).
// The script builds the page from #acc-data with textContent only, so report text can never become markup.

export const HTML_STYLE = `
:root{--fail:#d73a49;--warn:#e36209;--pass:#28a745;--none:#d1d5da;--fg:#24292e;--muted:#6a737d;--bg:#fff;--code:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header{padding:16px 24px;border-bottom:1px solid #e1e4e8}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}
main{padding:0 24px 40px}
#facts{margin:0;color:var(--muted)}
.verdict{font-weight:700;padding:1px 6px;border-radius:4px;color:#fff}
.verdict.FAIL{background:var(--fail)}.verdict.PASS{background:var(--pass)}.verdict.INCOMPLETE{background:var(--warn)}
.scroll{overflow:auto;max-height:60vh;border:1px solid #e1e4e8}
table{border-collapse:collapse}
#matrix th,#matrix td{border:1px solid #e1e4e8;padding:2px 6px;white-space:nowrap}
#matrix thead th{position:sticky;top:0;background:#fafbfc;z-index:1;font-weight:600;vertical-align:bottom}
#matrix th.op{text-align:left;font-weight:400;position:sticky;left:0;background:#fff}
#matrix tfoot td{font-weight:600;background:#fafbfc}
.cell{display:inline-block;min-width:2.2em;text-align:center;border-radius:3px;padding:0 4px;color:#fff}
td.cell{display:table-cell;cursor:default}
.cell.fail{background:var(--fail);cursor:pointer}.cell.warn{background:var(--warn);cursor:pointer}
.cell.pass{background:var(--pass)}.cell.none{background:var(--none);color:var(--fg)}
.method{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:var(--muted)}
.toolbar{display:flex;gap:8px;align-items:center;margin-bottom:8px}
#filter{flex:1;max-width:520px;padding:5px 8px;font-size:14px}
#shown{color:var(--muted)}
details.group{border:1px solid #e1e4e8;border-radius:4px;margin:4px 0}
details.group>summary{padding:6px 10px;cursor:pointer;list-style-position:inside}
details.group[open]>summary{border-bottom:1px solid #e1e4e8;background:#fafbfc}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;padding:1px 5px;border-radius:3px;color:#fff;margin-right:6px}
.sev.error{background:var(--fail)}.sev.warning{background:var(--warn)}.sev.advisory{background:#0366d6}
.count{font-weight:700;margin-left:6px}
.body{padding:8px 12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
dt{color:var(--muted)}dd{margin:0;word-break:break-word}
pre{background:var(--code);padding:8px;overflow:auto;max-height:320px;margin:4px 0 8px;white-space:pre-wrap;word-break:break-all;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
.curlbar{display:flex;align-items:center;gap:8px}
button{font:inherit;padding:2px 10px;cursor:pointer}
ul.others{margin:4px 0;padding-left:20px;font-size:13px}
.muted{color:var(--muted)}
`;

export const HTML_CLIENT_SCRIPT = `
(function () {
  'use strict';
  var PAGE = 100;
  var data = JSON.parse(document.getElementById('acc-data').textContent);
  var groups = data.groups;
  var shownLimit = PAGE;
  var matches = groups.map(function (_, i) { return i; });
  var haystack = groups.map(function (g) {
    var e = g.example;
    return [g.operation, g.check, g.category, g.severity, e.message, e.expected || '', e.actual || '',
      e.specPointer ? e.specPointer.pointer : '', e.request.method + ' ' + e.request.url].join('\\n').toLowerCase();
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  // ------------------------------------------------------------ header
  (function facts() {
    var s = data.summary;
    var failing = (s.bySeverity.error || 0) + (s.bySeverity.warning || 0) > 0;
    var verdict = data.incomplete ? 'INCOMPLETE' : failing ? 'FAIL' : 'PASS';
    var p = document.getElementById('facts');
    p.appendChild(el('span', 'verdict ' + verdict, verdict));
    var parts = [plural(s.operations, 'operation'), plural(s.cases, 'case'),
      plural(s.findings, 'finding') + ' in ' + plural(groups.length, 'group'),
      'seed ' + data.seed, (data.durationMs / 1000).toFixed(1) + ' s', data.baseUrl, data.spec.source];
    if (data.shard) parts.push('shard ' + data.shard.index + '/' + data.shard.count);
    p.appendChild(document.createTextNode(' ' + parts.join(' · ')));
  })();

  // ------------------------------------------------------------ matrix: operations x categories
  var cellGroups = {};
  groups.forEach(function (g, i) {
    var key = g.operation + '\\u241f' + g.category;
    (cellGroups[key] = cellGroups[key] || []).push(i);
  });
  var ran = {};
  data.ranCategories.forEach(function (c) { ran[c] = true; });

  (function matrix() {
    var table = document.getElementById('matrix');
    var thead = el('thead'); var hr = el('tr');
    hr.appendChild(el('th', 'op', 'operation'));
    data.categories.forEach(function (c) { hr.appendChild(el('th', null, c)); });
    thead.appendChild(hr); table.appendChild(thead);
    var tbody = el('tbody');
    var frag = document.createDocumentFragment();
    var failedOps = {}; var findingsPer = {};
    data.operations.forEach(function (op) {
      var tr = el('tr');
      var th = el('th', 'op');
      if (op.method) th.appendChild(el('span', 'method', op.method + ' ' + op.path + ' '));
      th.appendChild(document.createTextNode(op.id));
      if (op.notCovered.length) th.title = 'not covered: ' + op.notCovered.join('; ');
      tr.appendChild(th);
      data.categories.forEach(function (c) {
        var members = cellGroups[op.id + '\\u241f' + c] || [];
        var td;
        if (members.length) {
          var n = 0; var worst = 'advisory';
          members.forEach(function (i) {
            n += groups[i].count;
            if (groups[i].severity === 'error' || (groups[i].severity === 'warning' && worst !== 'error')) worst = groups[i].severity;
          });
          td = el('td', 'cell ' + (worst === 'error' ? 'fail' : 'warn'), n);
          td.title = plural(n, 'finding') + ' in ' + plural(members.length, 'group') + ': click to list';
          td.setAttribute('data-op', op.id); td.setAttribute('data-category', c);
          failedOps[c] = (failedOps[c] || 0) + 1; findingsPer[c] = (findingsPer[c] || 0) + n;
        } else if (op.cases > 0 && ran[c]) {
          td = el('td', 'cell pass', '✓'); td.title = 'pass';
        } else {
          td = el('td', 'cell none', '–'); td.title = op.cases > 0 ? 'no check of this family ran' : 'no case was sent';
        }
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    tbody.appendChild(frag); table.appendChild(tbody);
    var tfoot = el('tfoot'); var fr = el('tr');
    fr.appendChild(el('td', null, 'findings (operations failing)'));
    data.categories.forEach(function (c) {
      fr.appendChild(el('td', null, (findingsPer[c] || 0) + ' (' + (failedOps[c] || 0) + ')'));
    });
    tfoot.appendChild(fr); table.appendChild(tfoot);
    table.addEventListener('click', function (ev) {
      var td = ev.target.closest ? ev.target.closest('td[data-op]') : null;
      if (!td) return;
      applyFilter('', td.getAttribute('data-op'), td.getAttribute('data-category'));
      document.getElementById('findings-section').scrollIntoView();
    });
  })();

  // ------------------------------------------------------------ findings, rendered a page at a time
  var list = document.getElementById('groups');
  var more = document.getElementById('more');
  var shown = document.getElementById('shown');
  var filterBox = document.getElementById('filter');

  function bodyText(body) {
    if (!body) return '';
    if (body.bytes === 0) return '(empty)';
    if (body.encoding === 'base64') return '(' + body.bytes + ' bytes, binary; base64 of the first bytes)\\n' + body.data;
    var text = body.data;
    try { if (/^\\s*[[{]/.test(text) && !body.excerpt) text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    return text + (body.excerpt ? '\\n… (' + body.bytes + ' bytes in all)' : '');
  }
  function headerText(headers) {
    var lines = [];
    Object.keys(headers).forEach(function (k) {
      var v = headers[k];
      (Array.isArray(v) ? v : [v]).forEach(function (x) { lines.push(k + ': ' + x); });
    });
    return lines.join('\\n');
  }
  function copy(text, button, pre) {
    function done(ok) { button.textContent = ok ? 'Copied' : 'Select and copy'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); }
    function fallback() {
      var range = document.createRange(); range.selectNodeContents(pre);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      var ok = false; try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    else fallback();
  }
  function renderBody(g) {
    var e = g.example;
    var box = el('div', 'body');
    var dl = el('dl');
    function row(k, v) { if (v === undefined || v === null || v === '') return; dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', null, v)); }
    row('message', e.message);
    row('expected', e.expected);
    row('actual', e.actual);
    if (e.specPointer) row('rule', e.specPointer.file + '#' + e.specPointer.pointer + (e.specPointer.line ? ' (line ' + e.specPointer.line + ')' : ''));
    else if (e.operationLocation) row('operation', e.operationLocation.file + '#' + e.operationLocation.pointer + (e.operationLocation.line ? ' (line ' + e.operationLocation.line + ')' : ''));
    var why = e.case.why;
    row('case', e.case.kind + ' ' + e.case.id + (e.case.source ? ' (' + e.case.source + ')' : ''));
    if (why) row('broken on purpose', why.where + ' ' + why.keyword + ': ' + why.description + (why.value !== undefined ? ' — sent ' + JSON.stringify(why.value) : ''));
    if (g.count > 1) row('found by', plural(g.count, 'case') + '; this is the smallest');
    box.appendChild(dl);
    box.appendChild(el('h4', null, 'Request'));
    box.appendChild(el('pre', 'request', e.request.method + ' ' + e.request.url + '\\n' + headerText(e.request.headers) + (e.request.body ? '\\n\\n' + bodyText(e.request.body) : '')));
    if (e.response) {
      box.appendChild(el('h4', null, 'Response'));
      box.appendChild(el('pre', 'response', e.response.status + (e.response.truncatedAtCap ? ' (body cut at --max-body)' : '') + '\\n' + headerText(e.response.headers) + '\\n\\n' + bodyText(e.response.body)));
    }
    if (e.transportError) box.appendChild(el('p', 'transport', 'Transport error: ' + e.transportError.kind + ': ' + e.transportError.message));
    var bar = el('div', 'curlbar'); bar.appendChild(el('h4', null, 'curl'));
    var button = el('button', 'copy', 'Copy'); button.type = 'button'; bar.appendChild(button);
    box.appendChild(bar);
    var pre = el('pre', 'curl', e.curl);
    box.appendChild(pre);
    button.addEventListener('click', function () { copy(e.curl, button, pre); });
    if (g.others.length) {
      box.appendChild(el('h4', null, 'Other cases in this group'));
      var ul = el('ul', 'others');
      g.others.forEach(function (o) { ul.appendChild(el('li', null, o.request + (o.status !== undefined ? ' → ' + o.status : '') + ' — ' + o.message)); });
      if (g.count - 1 > g.others.length) ul.appendChild(el('li', 'muted', '… and ' + (g.count - 1 - g.others.length) + ' more (see the JSON report)'));
      box.appendChild(ul);
    }
    return box;
  }
  function groupNode(i) {
    var g = groups[i];
    var d = el('details', 'group'); d.id = 'g' + i;
    var s = el('summary');
    s.appendChild(el('span', 'sev ' + g.severity, g.severity));
    s.appendChild(el('strong', null, g.check));
    s.appendChild(document.createTextNode(' · ' + g.operation + ' — ' + g.example.message));
    if (g.count > 1) s.appendChild(el('span', 'count', '×' + g.count));
    d.appendChild(s);
    d.addEventListener('toggle', function () {
      if (d.open && !d.getAttribute('data-rendered')) { d.setAttribute('data-rendered', '1'); d.appendChild(renderBody(g)); }
    });
    return d;
  }
  function renderList() {
    var frag = document.createDocumentFragment();
    var end = Math.min(matches.length, shownLimit);
    for (var k = 0; k < end; k++) frag.appendChild(groupNode(matches[k]));
    list.textContent = '';
    list.appendChild(frag);
    shown.textContent = end + ' of ' + plural(matches.length, 'group') + (matches.length !== groups.length ? ' (filtered from ' + groups.length + ')' : '');
    more.hidden = end >= matches.length;
    more.textContent = 'Show more (' + (matches.length - end) + ' left)';
  }
  function applyFilter(text, operation, category) {
    var words = text.toLowerCase().split(/\\s+/).filter(Boolean);
    if (operation !== undefined) filterBox.value = operation + ' ' + category;
    matches = [];
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      if (operation !== undefined) { if (g.operation === operation && g.category === category) matches.push(i); continue; }
      var h = haystack[i]; var ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = h.indexOf(words[w]) >= 0;
      if (ok) matches.push(i);
    }
    shownLimit = PAGE;
    renderList();
  }
  var timer = 0;
  filterBox.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { applyFilter(filterBox.value); }, 120);
  });
  document.getElementById('clear').addEventListener('click', function () { filterBox.value = ''; applyFilter(''); });
  more.addEventListener('click', function () { shownLimit += PAGE; renderList(); });
  if (!groups.length) list.appendChild(el('p', 'muted', 'No findings.'));
  else renderList();

  // ------------------------------------------------------------ what was not covered, warnings
  var notes = document.getElementById('notes-section');
  var uncovered = data.operations.filter(function (o) { return o.notCovered.length; });
  if (uncovered.length) {
    notes.appendChild(el('h2', null, 'Not covered (' + plural(uncovered.length, 'operation') + ')'));
    var ul = el('ul');
    uncovered.forEach(function (o) { o.notCovered.forEach(function (r) { ul.appendChild(el('li', null, o.id + ': ' + r)); }); });
    notes.appendChild(ul);
  }
  if (data.warnings.length) {
    notes.appendChild(el('h2', null, 'Warnings'));
    var wl = el('ul');
    data.warnings.forEach(function (w) { wl.appendChild(el('li', null, w)); });
    notes.appendChild(wl);
  }
  document.body.setAttribute('data-ready', 'true');
})();
`;
