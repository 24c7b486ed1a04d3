// Opens a one-time dashboard link (/dashboard#toegang=TOKEN): the token travels in the address's fragment,
// so it never reaches a server log and a link preview (which runs no script) cannot use it up. The fragment
// is removed first, then the token is posted once from this page, so the session cookie (SameSite=Strict)
// comes back on a same-site request.
"use strict";

(function () {
  const form = document.getElementById("dashboard-open");
  if (!form) {
    return;
  }

  function open() {
    const found = /^#toegang=([A-Za-z0-9_-]{20,100})$/.exec(window.location.hash);
    if (!found) {
      return;
    }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    form.elements.namedItem("token").value = found[1];
    for (const element of document.querySelectorAll(".notice")) {
      element.hidden = true;
    }
    document.querySelector(".opening").hidden = false;
    form.submit();
  }

  open();
  // A link opened while this page is already showing changes only the fragment: nothing reloads.
  window.addEventListener("hashchange", open);
})();
