// Citations open in place. Each [n] is a button that shows its passage right under the statement
// (the page never scrolls); Escape, the panel's Close button or [n] again closes it and returns the
// focus to the marker. On a wide screen the matching card in the sticky Sources column is marked and
// scrolled into view inside that column only.
(() => {
  if (window.__hcbCitations) return;
  window.__hcbCitations = true;
  const panelOf = (btn) => document.getElementById(btn.getAttribute('aria-controls'));
  const buttonOf = (panel) => panel && document.querySelector(`button.cite[aria-controls="${panel.id}"]`);

  function scrollInside(container, el) {
    let box = el.parentElement;       // the nearest scrollable ancestor inside the column
    while (box && box !== container.parentElement) {
      const style = getComputedStyle(box);
      if (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight) break;
      box = box.parentElement;
    }
    if (!box || box === container.parentElement) return;
    const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - 8;
  }

  function markCard(btn, on) {
    const col = document.getElementById('sources');
    if (!col) return;
    col.querySelectorAll('.source-card.current').forEach((c) => c.classList.remove('current'));
    if (!on) return;
    const prefix = `src-${btn.dataset.turn}-`;
    const card = [...col.querySelectorAll('.source-card')].find(
      (c) => c.id.startsWith(prefix) && (c.dataset.cites || '').split(' ').includes(btn.dataset.n));
    if (!card) return;
    card.classList.add('current');
    if (getComputedStyle(col).display !== 'none') scrollInside(document.getElementById('sources-col') || col, card);
  }

  function openCite(btn) {
    const panel = panelOf(btn);
    if (!panel) return;
    panel.hidden = false;
    btn.setAttribute('aria-expanded', 'true');
    panel.focus({ preventScroll: true });
    markCard(btn, true);
  }

  function closeCite(btn, refocus) {
    const panel = panelOf(btn);
    if (panel) panel.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
    if (refocus) btn.focus({ preventScroll: true });
    markCard(btn, false);
  }

  document.addEventListener('click', (e) => {
    const btn = e.target.closest && e.target.closest('button.cite');
    if (btn) {
      e.preventDefault();
      if (btn.getAttribute('aria-expanded') === 'true') closeCite(btn, false);
      else openCite(btn);
      return;
    }
    const close = e.target.closest && e.target.closest('button.cp-close');
    if (close) {
      const owner = buttonOf(document.getElementById(close.dataset.for));
      if (owner) closeCite(owner, true);
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !e.target.closest) return;
    const panel = e.target.closest('.cite-panel');
    let btn = panel ? buttonOf(panel) : e.target.closest('button.cite[aria-expanded="true"]');
    if (!btn) {
      const open = document.querySelectorAll('button.cite[aria-expanded="true"]');
      btn = open.length ? open[open.length - 1] : null;
    }
    if (btn) {
      e.preventDefault();
      closeCite(btn, true);
    }
  });
})();
