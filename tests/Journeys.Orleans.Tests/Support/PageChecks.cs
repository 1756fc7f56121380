namespace Journeys.Orleans.Tests.Support;

/// <summary>What the dashboard page tests measure in Chromium (<see cref="HeadlessChromium.EvaluateAsync"/>).</summary>
public static class PageChecks
{
    /// <summary>
    /// A JavaScript expression whose value is a JSON string <c>{cards, charts, dashboardLinked, outside, problems}</c>: a card (a
    /// step's card, a destination's history card) whose content is wider or taller than it, or has a part drawn outside
    /// it, is an <c>overflow</c>; a chart (<c>svg.chart</c>) with no visible bar or dot is an <c>empty chart</c>, and one
    /// drawn smaller than 100 × 30 px a <c>tiny chart</c>; <c>dashboardLinked</c> says whether the nav links the Orleans dashboard;
    /// <c>outside</c> lists what the page loaded, or refers to for loading, from anywhere but the silo.
    /// </summary>
    public const string Script = """
        JSON.stringify((() => {
          const problems = [];
          const cards = [...document.querySelectorAll('.step, section.card')];
          let charts = 0;
          for (const card of cards) {
            const id = card.dataset.destination || card.dataset.step || card.className;
            if (card.scrollWidth > card.clientWidth + 1 || card.scrollHeight > card.clientHeight + 1) problems.push('overflow ' + id);
            const box = card.getBoundingClientRect();
            for (const part of card.querySelectorAll('h3, p, span, svg, figure, li, pre, div, a, small')) {
              const inner = part.getBoundingClientRect();
              if (inner.width === 0 && inner.height === 0) continue;
              if (inner.right > box.right + 1 || inner.bottom > box.bottom + 1 || inner.left < box.left - 1) { problems.push('overflow ' + id + ' ' + part.tagName); break; }
            }
          }
          for (const chart of document.querySelectorAll('svg.chart')) {
            charts++;
            const marks = [...chart.querySelectorAll('rect.bar, circle.point')].filter(m => {
              const r = m.getBoundingClientRect();
              return r.width > 0 && r.height > 0;
            });
            const owner = chart.closest('[data-destination]');
            const id = owner ? owner.dataset.destination : '';
            if (marks.length === 0) problems.push('empty chart ' + id + ' ' + chart.getAttribute('class'));
            const r = chart.getBoundingClientRect();
            if (r.width < 100 || r.height < 30) problems.push('tiny chart ' + id);
          }
          const dashboardLinked = !!document.querySelector('nav a[href="/dashboard/"]');
          // Anything the page loaded, or asks to load, from elsewhere than the silo (a CDN's script or stylesheet).
          const outside = [
            ...performance.getEntriesByType('resource').map(e => e.name),
            ...[...document.querySelectorAll('script[src], link[href], img[src], iframe[src]')].map(e => e.src || e.href),
          ].filter(url => url && !url.startsWith(location.origin + '/'));
          return { cards: cards.length, charts, dashboardLinked, outside, problems };
        })())
        """;
}
