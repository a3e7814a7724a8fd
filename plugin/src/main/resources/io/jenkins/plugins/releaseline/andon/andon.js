/*
 * The Andon page. Loaded as an adjunct by the plugin's /andon page, and served unchanged by the engine's
 * browser test. No framework, no inline handlers; every piece of user text goes in with textContent.
 *
 * The page reads its data from <div id="andon-root" data-api="...">: GET {api}/state returns the board
 * as JSON; POST {api}/pull and {api}/release change it and answer with the new board, or with
 * {"error": "..."} and a 4xx status. Each POST carries the crumb from <head data-crumb-header data-crumb-value>.
 */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs.text;
      } else if (name === "className") {
        node.className = attrs.className;
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(child);
      }
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function ago(nowIso, thenIso) {
    if (!thenIso) {
      return "";
    }
    var seconds = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(thenIso)) / 1000));
    if (seconds < 60) {
      return seconds + " s ago";
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + " min ago";
    }
    if (seconds < 86400) {
      return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min ago";
    }
    return Math.floor(seconds / 86400) + " d ago";
  }

  function when(iso) {
    return iso ? iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "";
  }

  /* Only http(s) addresses and paths on this server become links; anything else stays text. */
  function safeLink(url) {
    if (!url) {
      return null;
    }
    if (/^https?:\/\//i.test(url) || (url.charAt(0) === "/" && url.charAt(1) !== "/")) {
      return el("a", { href: url, rel: "noopener noreferrer", text: url });
    }
    return el("span", { text: url });
  }

  function crumbHeaders() {
    var headers = { "Content-Type": "application/x-www-form-urlencoded" };
    var name = document.head.getAttribute("data-crumb-header");
    var value = document.head.getAttribute("data-crumb-value");
    if (name && value) {
      headers[name] = value;
    }
    return headers;
  }

  function Andon(root) {
    this.root = root;
    this.api = root.getAttribute("data-api") || ".";
    /* the server refuses what the user may not do; these only spare them a form they cannot use */
    this.canPull = root.getAttribute("data-can-pull") !== "false";
    this.canRelease = root.getAttribute("data-can-release") !== "false";
    this.page = null;
    this.build();
  }

  Andon.prototype.build = function () {
    var self = this;
    this.state = el("div", { id: "andon-state", className: "andon-state", role: "status", "aria-live": "polite" });
    this.error = el("div", { id: "andon-error", className: "jenkins-alert jenkins-alert-danger andon-hidden", role: "alert" });
    this.notice = el("div", { id: "andon-notice", className: "jenkins-alert jenkins-alert-success andon-hidden", role: "status" });
    this.active = el("tbody", { id: "andon-active" });
    this.windows = el("tbody", { id: "andon-windows" });
    this.history = el("tbody", { id: "andon-history" });

    this.scope = el("select", { id: "andon-scope", name: "scope" });
    this.customScope = el("input", { id: "andon-scope-custom", name: "customScope", type: "text",
      className: "jenkins-input", placeholder: "job:team-a/payments or environment:prod" });
    this.stops = el("select", { id: "andon-stops", name: "stops", className: "jenkins-select__input" }, [
      el("option", { value: "deployments", text: "Deployments and promotions" }),
      el("option", { value: "all-builds", text: "All builds" })
    ]);
    this.reason = el("textarea", { id: "andon-reason", name: "reason", rows: "3", className: "jenkins-input",
      "aria-required": "true", placeholder: "Why must the line stop? (required)" });
    this.link = el("input", { id: "andon-link", name: "link", type: "text", className: "jenkins-input",
      placeholder: "https://incident/INC-42 (optional)" });
    this.expires = el("select", { id: "andon-expires", name: "expiresInMinutes", className: "jenkins-select__input" }, [
      el("option", { value: "", text: "Until released" }),
      el("option", { value: "60", text: "1 hour" }),
      el("option", { value: "240", text: "4 hours" }),
      el("option", { value: "1440", text: "1 day" })
    ]);
    this.pullButton = el("button", { id: "andon-pull", type: "submit", className: "jenkins-button jenkins-button--primary andon-pull",
      text: "Pull the cord" });
    var form = el("form", { id: "andon-pull-form", className: "andon-form", novalidate: "novalidate" }, [
      el("h2", { text: "Stop the line" }),
      el("label", { "for": "andon-scope", text: "Scope" }), el("div", { className: "jenkins-select" }, [this.scope]),
      this.customScope,
      el("label", { "for": "andon-stops", text: "Stops" }), el("div", { className: "jenkins-select" }, [this.stops]),
      el("label", { "for": "andon-reason", text: "Reason" }), this.reason,
      el("label", { "for": "andon-link", text: "Link" }), this.link,
      el("label", { "for": "andon-expires", text: "Expires" }), el("div", { className: "jenkins-select" }, [this.expires]),
      this.pullButton
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.pull();
    });
    this.scope.addEventListener("change", function () {
      self.customScope.classList.toggle("andon-hidden", self.scope.value !== "custom");
    });

    function table(id, headings, body) {
      return el("table", { id: id + "-table", className: "jenkins-table jenkins-table--small andon-table" }, [
        el("thead", {}, [el("tr", {}, headings.map(function (h) { return el("th", { text: h }); }))]),
        body
      ]);
    }

    clear(this.root);
    this.root.appendChild(this.state);
    this.root.appendChild(this.error);
    this.root.appendChild(this.notice);
    this.root.appendChild(el("h2", { text: "Active freezes" }));
    this.root.appendChild(table("andon-active", ["Freeze", "Scope", "Stops", "Who", "Since", "Reason", "Link", "Until", ""], this.active));
    if (this.canPull) {
      this.root.appendChild(form);
    }
    this.root.appendChild(el("h2", { text: "Freeze windows" }));
    this.root.appendChild(table("andon-windows", ["Window", "Scope", "Schedule", "State", "Next", "Reason"], this.windows));
    this.root.appendChild(el("h2", { text: "Recent history" }));
    this.root.appendChild(table("andon-history", ["Freeze", "Scope", "Pulled by", "Pulled", "Reason", "Status", "Ended", "Note"], this.history));
    this.customScope.classList.add("andon-hidden");
  };

  Andon.prototype.load = function () {
    var self = this;
    return fetch(this.api + "/state", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (page) { self.render(page); })
      .catch(function (e) { self.showError("Could not read the Andon board: " + e); });
  };

  Andon.prototype.post = function (action, params) {
    var self = this;
    var body = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      body.append(k, params[k]);
    });
    return fetch(this.api + "/" + action, { method: "POST", credentials: "same-origin", headers: crumbHeaders(), body: body.toString() })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (res) {
        if (!res.ok || res.data.error) {
          self.showError(res.data.error || "The request was refused");
          return false;
        }
        self.showError("");
        self.render(res.data);
        return true;
      })
      .catch(function (e) { self.showError("The request failed: " + e); return false; });
  };

  Andon.prototype.pull = function () {
    var self = this;
    var scope = this.scope.value === "custom" ? this.customScope.value : this.scope.value;
    this.post("pull", { scope: scope, stops: this.stops.value, reason: this.reason.value, link: this.link.value,
      expiresInMinutes: this.expires.value }).then(function (done) {
      if (done) {
        self.reason.value = "";
        self.link.value = "";
        self.showNotice("The cord is pulled.");
      }
    });
  };

  Andon.prototype.release = function (id, note) {
    var self = this;
    this.post("release", { id: String(id), note: note }).then(function (done) {
      if (done) {
        self.showNotice("freeze-" + id + " released.");
      }
    });
  };

  Andon.prototype.showError = function (message) {
    this.error.textContent = message;
    this.error.classList.toggle("andon-hidden", !message);
    if (message) {
      this.notice.classList.add("andon-hidden");
    }
  };

  Andon.prototype.showNotice = function (message) {
    this.notice.textContent = message;
    this.notice.classList.remove("andon-hidden");
  };

  Andon.prototype.render = function (page) {
    var self = this;
    this.page = page;
    var stopped = page.state === "stopped";
    this.state.className = "andon-state " + (stopped ? "andon-state--stopped" : "andon-state--running");
    clear(this.state);
    this.state.appendChild(el("span", { className: "andon-state__title", text: stopped ? "Line stopped" : "Line running" }));
    this.state.appendChild(el("span", { className: "andon-state__detail",
      text: stopped ? page.active.length + (page.active.length === 1 ? " freeze is" : " freezes are") + " holding work back"
                    : "Nothing is frozen; deployments go ahead" }));

    var selected = this.scope.value;
    clear(this.scope);
    (page.scopes || ["everything"]).forEach(function (s) {
      self.scope.appendChild(el("option", { value: s, text: s }));
    });
    this.scope.appendChild(el("option", { value: "custom", text: "Other scope\u2026" }));
    if (selected) {
      this.scope.value = selected;
    }
    this.customScope.classList.toggle("andon-hidden", this.scope.value !== "custom");

    clear(this.active);
    if (page.active.length === 0) {
      this.active.appendChild(el("tr", {}, [el("td", { colspan: "9", className: "andon-empty", text: "No active freezes." })]));
    }
    page.active.forEach(function (f) {
      var action = el("td", {});
      if (f.releasable && self.canRelease) {
        var note = el("input", { type: "text", className: "jenkins-input andon-note", placeholder: "Release note",
          "aria-label": "Release note for " + f.key, "data-freeze": String(f.id) });
        var button = el("button", { type: "button", className: "jenkins-button andon-release", "data-freeze": String(f.id),
          text: "Release" });
        button.addEventListener("click", function () {
          self.release(f.id, note.value);
        });
        action.appendChild(note);
        action.appendChild(button);
      }
      self.active.appendChild(el("tr", { className: "andon-freeze", "data-key": f.key }, [
        el("td", { text: f.key }),
        el("td", { text: f.scope }),
        el("td", { text: f.stops }),
        el("td", { text: f.pulledBy }),
        el("td", { title: when(f.since), text: ago(page.now, f.since) }),
        el("td", { className: "andon-reason", text: f.reason }),
        el("td", {}, [safeLink(f.link)]),
        el("td", { text: when(f.until) }),
        action
      ]));
    });

    clear(this.windows);
    if (page.windows.length === 0) {
      this.windows.appendChild(el("tr", {}, [el("td", { colspan: "6", className: "andon-empty", text: "No freeze windows configured." })]));
    }
    page.windows.forEach(function (w) {
      self.windows.appendChild(el("tr", {}, [
        el("td", { text: w.name }),
        el("td", { text: w.scope }),
        el("td", { text: w.schedule }),
        el("td", { text: w.open ? "open" : "closed" }),
        el("td", { text: w.open ? "closes " + when(w.closesAt) : (w.opensAt ? "opens " + when(w.opensAt) : "never again") }),
        el("td", { text: w.reason })
      ]));
    });

    clear(this.history);
    page.history.forEach(function (h) {
      self.history.appendChild(el("tr", {}, [
        el("td", { text: "freeze-" + h.id }),
        el("td", { text: h.scope }),
        el("td", { text: h.pulledBy }),
        el("td", { title: when(h.pulledAt), text: ago(page.now, h.pulledAt) }),
        el("td", { text: h.reason }),
        el("td", { text: h.status }),
        el("td", { text: when(h.endedAt) }),
        el("td", { text: h.releaseNote || "" })
      ]));
    });
  };

  function start() {
    var root = document.getElementById("andon-root");
    if (root) {
      new Andon(root).load();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
