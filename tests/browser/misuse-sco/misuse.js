/* misuse.js — calls the SCORM 2004 API in every wrong way a careless SCO might, and writes
 * "name=result:error" lines into #out and, in one line, to the console ("MISUSE ..."), where
 * learner.test.mjs reads them (the player removes this frame once it has terminated). */
(function () {
  'use strict';
  var api = null, w = window, i;
  for (i = 0; i < 10 && w && !api; i++) {
    try { api = w.API_1484_11 || null; } catch (e) { api = null; }
    if (w === w.parent) break;
    w = w.parent;
  }
  var out = [];
  function rec(name, val) { out.push(name + '=' + String(val) + ':' + String(api.GetLastError())); }
  if (!api) { document.getElementById('out').textContent = 'no API'; return; }
  rec('get-before-init', api.GetValue('cmi.location'));
  rec('set-before-init', api.SetValue('cmi.location', 'x'));
  rec('commit-before-init', api.Commit(''));
  rec('init', api.Initialize(''));
  rec('init-again', api.Initialize(''));
  rec('entry', api.GetValue('cmi.entry'));
  rec('location-at-start', api.GetValue('cmi.location'));
  rec('set-unknown', api.SetValue('cmi.bogus', '1'));
  rec('set-type', api.SetValue('cmi.score.scaled', 'abc'));
  rec('set-range', api.SetValue('cmi.score.scaled', '2'));
  rec('set-readonly', api.SetValue('cmi.learner_id', 'someone'));
  rec('set-big-suspend', api.SetValue('cmi.suspend_data', new Array(1000001).join('x')));
  rec('set-ok', api.SetValue('cmi.location', 'page-2'));
  rec('set-suspend', api.SetValue('cmi.suspend_data', 'kept'));
  rec('set-exit', api.SetValue('cmi.exit', 'suspend'));
  rec('commit', api.Commit(''));
  rec('terminate', api.Terminate(''));
  rec('get-after-term', api.GetValue('cmi.location'));
  rec('set-after-term', api.SetValue('cmi.location', 'y'));
  rec('commit-after-term', api.Commit(''));
  document.getElementById('out').textContent = out.join('\n');
  console.log('MISUSE ' + out.join('|'));
}());
