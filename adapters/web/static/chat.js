// The web chat page: sends a question or a chosen button to /api/chat and shows the replies.
// Every piece of data is shown with textContent, never as HTML, so nothing a user or the
// knowledge base writes can become markup or script.
"use strict";

(function () {
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const send = document.getElementById("chat-send");
  const log = document.getElementById("chat-log");
  const texts = form.dataset;
  let busy = false;

  function addMessage(kind, text) {
    const message = document.createElement("div");
    message.className = "message " + kind;
    const paragraph = document.createElement("p");
    paragraph.className = "text";
    paragraph.textContent = text;
    message.appendChild(paragraph);
    log.appendChild(message);
    return message;
  }

  function addOptions(message, options) {
    const group = document.createElement("div");
    group.className = "options";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", texts.optionsLabel);
    for (const option of options) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = String(option.label);
      button.dataset.value = String(option.value);
      button.addEventListener("click", function () {
        submit({ action: String(option.value) }, String(option.label));
      });
      group.appendChild(button);
    }
    message.appendChild(group);
  }

  function showReply(reply) {
    const message = addMessage("bot", String(reply.text));
    if (Array.isArray(reply.options) && reply.options.length > 0) {
      addOptions(message, reply.options);
    }
    return message;
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
  }

  async function post(payload) {
    const response = await fetch(texts.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(payload),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return { ok: response.ok, data: data };
  }

  async function submit(payload, shown) {
    if (busy) {
      return;
    }
    setBusy(true);
    addMessage("user", shown).scrollIntoView({ block: "end" });
    let first = null;
    try {
      const result = await post(payload);
      if (result.ok && result.data && Array.isArray(result.data.replies)) {
        for (const reply of result.data.replies) {
          const message = showReply(reply);
          first = first || message;
        }
      } else {
        const error = result.data && typeof result.data.error === "string" ? result.data.error : texts.errorUnknown;
        first = addMessage("error", error);
      }
    } catch (error) {
      first = addMessage("error", texts.errorNetwork);
    } finally {
      setBusy(false);
    }
    if (first) {
      // Long answers are read from their start.
      first.scrollIntoView({ block: "start" });
    }
  }

  // Messages that waited for this session (a check-in, a celebration) are fetched on load and now and then.
  // The server keeps each one until the page acknowledges its id; the ids shown are remembered for this
  // tab, so a message whose acknowledgement got lost is acknowledged again but not shown twice.
  const SHOWN_KEY = "ketenbot.inbox.shown";
  const SHOWN_LIMIT = 200;
  let shownFallback = [];

  function shownIds() {
    try {
      const stored = JSON.parse(window.sessionStorage.getItem(SHOWN_KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (error) {
      return shownFallback; // storage off or full: remember for this page only
    }
  }

  function rememberShown(ids) {
    const kept = ids.slice(-SHOWN_LIMIT);
    shownFallback = kept;
    try {
      window.sessionStorage.setItem(SHOWN_KEY, JSON.stringify(kept));
    } catch (error) {
      // Kept in shownFallback for as long as the page is open.
    }
  }

  async function acknowledge(ids) {
    const response = await fetch(texts.ack, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ ids: ids }),
    });
    return response.ok;
  }

  async function collect() {
    try {
      const response = await fetch(texts.inbox, { credentials: "same-origin", cache: "no-store" });
      const data = response.ok ? await response.json() : null;
      if (!data || !Array.isArray(data.replies)) {
        return;
      }
      const shown = shownIds();
      const received = [];
      for (const reply of data.replies) {
        if (!Number.isInteger(reply.id)) {
          continue;
        }
        received.push(reply.id);
        if (!shown.includes(reply.id)) {
          showReply(reply).scrollIntoView({ block: "end" });
          shown.push(reply.id);
        }
      }
      rememberShown(shown);
      if (received.length > 0) {
        await acknowledge(received);
      }
    } catch (error) {
      // Offline for a moment: unacknowledged messages stay waiting on the server and come with the next try.
    }
  }

  collect();
  window.setInterval(collect, 20000);

  // An invitation link (…/#uitnodiging=K7Q2-M9XD) is redeemed by sending its code once, as if typed. The code
  // is in the fragment, so it never reaches a server log, and a link preview (which runs no script) cannot
  // use it up. The fragment is removed first, so a reload does not send it again.
  const invitation = /^#uitnodiging=([A-Za-z0-9-]{4,40})$/.exec(window.location.hash);
  if (invitation) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    submit({ text: "uitnodiging " + invitation[1] }, texts.invitationShown);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) {
      return;
    }
    input.value = "";
    submit({ text: text }, text);
    input.focus();
  });
})();
