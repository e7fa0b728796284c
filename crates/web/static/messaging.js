// maillage: shows the new messages of the thread open on this page as they arrive.
// The server announces each new message by its id only; the page then fetches the
// messages after the last one it shows, through the same checks as any other read.
"use strict";
(function () {
  const list = document.getElementById("messages");
  if (!list || !window.EventSource) {
    return;
  }
  let fetching = false;
  let again = false;

  async function catchUp() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      const url = list.dataset.nouveaux + "?apres=" + encodeURIComponent(list.dataset.dernier);
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) {
        const items = (await response.text()).trim();
        if (items) {
          list.insertAdjacentHTML("beforeend", items);
          const last = list.lastElementChild;
          list.dataset.dernier = last.dataset.id;
          const none = document.getElementById("aucun-message");
          if (none) {
            none.remove();
          }
        }
      }
    } finally {
      fetching = false;
      if (again) {
        again = false;
        catchUp();
      }
    }
  }

  const source = new EventSource(list.dataset.flux);
  source.addEventListener("message", catchUp);
  // After a reconnection, fetch what arrived while the stream was down.
  source.addEventListener("open", catchUp);
})();
