// Keeps the progress bars of the journeys pages current without a reload. Each bar (div.work) names the management
// API address that answers with its work's progress; while the work runs, the script asks it every 2 seconds (same
// site: the sign-in cookie goes along) and writes the figures as WorkText.cs does, then stops once the work finished.
(function () {
  'use strict';
  var every = 2000;

  function time(iso) {
    return new Date(iso).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  }

  function label(progress) {
    var parts = [progress.done + ' / ' + progress.total + (progress.kind === 'ListMirror' || progress.kind === 'ConnectBackfill' ? ' members' : ' users')];
    if (progress.ratePerSecond != null) parts.push(Math.round(progress.ratePerSecond * 10) / 10 + '/s');
    parts.push('started ' + time(progress.startedAt));
    if (progress.finishedAt) parts.push('finished ' + time(progress.finishedAt));
    else if (progress.estimatedEnd) parts.push('ends about ' + time(progress.estimatedEnd));
    return parts.join(' \u00b7 ');
  }

  function show(work, progress) {
    var bar = work.querySelector('progress');
    bar.max = Math.max(1, progress.total);
    bar.value = progress.total === 0 && !progress.running ? 1 : progress.done;
    bar.textContent = progress.done + ' / ' + progress.total;
    work.querySelector('.work-text').textContent = label(progress);
    work.dataset.running = progress.running ? 'true' : 'false';
  }

  function poll(work) {
    fetch(work.dataset.progressUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        // No answer (the silo restarting, the session over): ask again, less often.
        if (!answer) return setTimeout(poll, every * 2, work);
        var progress = answer[work.dataset.progressField];
        if (progress) show(work, progress);
        if (progress && progress.running) setTimeout(poll, every, work);
      })
      .catch(function () { setTimeout(poll, every * 2, work); });
  }

  document.querySelectorAll('div.work[data-progress-url]').forEach(function (work) {
    if (work.dataset.running === 'true') setTimeout(poll, every, work);
  });
})();
