/* Instap: a little plain JavaScript. Every page works without it; it adds
   read-aloud, the kiosk keypad, printing, and the kiosk's inactivity reset. */
(function () {
  "use strict";
  var doc = document;
  var body = doc.body;
  var lang = doc.documentElement.lang || "nl";
  var synth = window.speechSynthesis;

  /* Read aloud: every [data-say] button plays the server's audio of its text
     (data-say-src) in one <audio> element; the button shows that it plays
     and stops it when touched again. The browser's own voice is used only
     where the deployment chose it (data-say-browser) and it has one for the
     language: a kiosk's Chromium has none. */
  var player = doc.createElement("audio");
  player.className = "speech-player";
  player.preload = "none";
  player.hidden = true;
  body.appendChild(player);
  var status = doc.createElement("p");
  status.className = "say-status";
  status.setAttribute("role", "status");
  status.hidden = true;
  body.appendChild(status);
  var playingButton = null;
  var queue = [];
  var announcing = false;

  function pickVoice(language) {
    if (!synth || !synth.getVoices) return null;
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(language) === 0) return voices[i];
    }
    return null;
  }
  function showPlaying(button) {
    playingButton = button;
    if (!button) return;
    button.classList.add("playing");
    button.setAttribute("data-say-label", button.getAttribute("aria-label") || "");
    button.setAttribute("aria-label", button.getAttribute("data-say-stop"));
    var stop = doc.createElement("span");
    stop.className = "say-stop";
    stop.textContent = button.getAttribute("data-say-stop");
    button.appendChild(stop);
    status.textContent = button.getAttribute("data-say-playing");
    status.lang = button.lang || lang;
    status.hidden = false;
  }
  function showStopped() {
    announcing = false;
    var button = playingButton;
    playingButton = null;
    status.hidden = true;
    if (!button) return;
    button.classList.remove("playing");
    button.setAttribute("aria-label", button.getAttribute("data-say-label"));
    var stop = button.querySelector(".say-stop");
    if (stop) stop.remove();
  }
  function stopSpeaking() {
    queue = [];
    player.pause();
    player.removeAttribute("src");
    if (synth) synth.cancel();
    showStopped();
  }
  var plays = 0;
  function playNext() {
    if (!queue.length) { showStopped(); return; }
    player.src = queue.shift();
    var attempt = ++plays;
    var started = player.play();
    /* Refused (no sound allowed yet): show nothing is playing. A play that
       was cut short by the next one (AbortError) is not a refusal. */
    if (started && started.catch) started.catch(function (error) {
      if (attempt === plays && error.name !== "AbortError") stopSpeaking();
    });
  }
  /* Play addresses one after the other (the display: chime, then each language). */
  function playAll(sources, button) {
    stopSpeaking();
    queue = sources.slice();
    showPlaying(button);
    playNext();
  }
  player.addEventListener("ended", playNext);
  player.addEventListener("error", function () { if (player.getAttribute("src")) playNext(); });
  function speakWithBrowser(button) {
    var language = button.getAttribute("data-say-lang") || lang;
    var voice = pickVoice(language);
    if (!button.hasAttribute("data-say-browser") || !voice) return false;
    stopSpeaking();
    var utterance = new SpeechSynthesisUtterance(button.getAttribute("data-say"));
    utterance.lang = language;
    utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = showStopped;
    utterance.onerror = showStopped;
    showPlaying(button);
    synth.speak(utterance);
    return true;
  }
  function say(button) {
    body.setAttribute("data-last-said", button.getAttribute("data-say"));
    body.setAttribute("data-last-said-lang", button.getAttribute("data-say-lang") || lang);
    if (speakWithBrowser(button)) return;
    playAll([button.getAttribute("data-say-src")], button);
  }
  var browserVoice = Boolean(synth && typeof SpeechSynthesisUtterance !== "undefined");
  doc.querySelectorAll("button[data-say]").forEach(function (button) {
    var canPlay = button.hasAttribute("data-say-src") ||
      (button.hasAttribute("data-say-browser") && browserVoice);
    if (!canPlay) return;
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (playingButton === button) stopSpeaking();
      else say(button);
    });
  });

  /* The display screen: a newly called number is announced once (a chime,
     then the number in each of the kiosk's languages); the screen waits for
     it, and for a speaker button's audio, to end before it refreshes. */
  var announce = doc.querySelector("[data-announce]");
  if (announce) {
    var said = null;
    try { said = window.sessionStorage.getItem("instap-announced"); } catch (e) { said = null; }
    var callId = announce.getAttribute("data-announce-id");
    if (said !== callId) {
      try { window.sessionStorage.setItem("instap-announced", callId); } catch (e) { /* announce anyway */ }
      playAll(announce.getAttribute("data-announce").split(" "), null);
      announcing = Boolean(player.getAttribute("src"));
    }
  }

  /* Print buttons. */
  doc.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  /* Ask before a destructive form is sent. */
  doc.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  /* The kiosk keypad types into the code field; a QR scanner types there too. */
  doc.querySelectorAll("form[data-keypad]").forEach(function (form) {
    var input = form.querySelector("input[name=code]");
    form.querySelectorAll("[data-key]").forEach(function (key) {
      key.addEventListener("click", function () {
        var value = input.value.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
        if (key.getAttribute("data-key") === "back") value = value.slice(0, -1);
        else if (value.length < 8) value += key.getAttribute("data-key");
        input.value = value.length > 4 ? value.slice(0, 4) + "-" + value.slice(4) : value;
      });
    });
  });

  /* Scan a ticket's QR code with the kiosk's camera, where the browser can
     (BarcodeDetector); a USB scanner simply types into the code field. */
  doc.querySelectorAll("button[data-camera-scan]").forEach(function (button) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices ||
        !navigator.mediaDevices.getUserMedia) return;
    var form = button.closest("form");
    var input = form.querySelector("input[name=code]");
    var video = doc.getElementById(button.getAttribute("data-camera-scan"));
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      navigator.mediaDevices.getUserMedia({video: true}).then(function (stream) {
        var tries = 0;
        var stop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          video.hidden = true;
        };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop();
              input.value = codes[0].rawValue;
              form.submit();
            } else if (++tries < 300) {
              setTimeout(look, 200);
            } else {
              stop();
            }
          }).catch(function () { if (++tries < 300) setTimeout(look, 200); });
        };
        video.srcObject = stream;
        video.hidden = false;
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () { /* a still frame will do */ });
        look();
      }).catch(function () { button.hidden = true; });
    });
  });

  /* Kiosk inactivity: a warning after 90 s, back to the first screen after
     120 s, with nothing of the previous person left behind. */
  var resetUrl = body.getAttribute("data-reset-url");
  var dialog = doc.getElementById("idle");
  /* The browser's "back" must not bring a previous visitor's page back:
     every kiosk page gets a serial number in its history entry, and a page
     whose serial is older than the last reset goes to the first screen. */
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  function count(name) { return Number((store && store.getItem(name)) || 0); }
  function fromBeforeReset() {
    var state = window.history.state;
    return Boolean(state && state.instapPage && state.instapPage <= count("instap-reset"));
  }
  if (resetUrl) {
    if (fromBeforeReset()) {
      window.location.replace(resetUrl);
      return;
    }
    if (store && !(window.history.state && window.history.state.instapPage)) {
      var serial = count("instap-pages") + 1;
      store.setItem("instap-pages", String(serial));
      window.history.replaceState({instapPage: serial}, "");
    }
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && fromBeforeReset()) window.location.replace(resetUrl);
    });
  }
  function startAgain(url) {
    doc.querySelectorAll("form").forEach(function (form) { form.reset(); });
    doc.querySelectorAll("input:not([type=hidden])").forEach(function (input) { input.value = ""; });
    stopSpeaking();
    if (store) {
      var pages = String(count("instap-pages"));
      store.clear();
      store.setItem("instap-pages", pages);
      store.setItem("instap-reset", pages);
    }
    window.location.replace(url);
  }
  doc.querySelectorAll("a[data-start-again]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      startAgain(link.href);
    });
  });

  if (resetUrl && dialog) {
    var warnAfter = Number(body.getAttribute("data-idle-warn")) * 1000;
    var resetAfter = Number(body.getAttribute("data-idle-reset")) * 1000;
    var warnTimer = null;
    var resetTimer = null;
    var schedule = function () {
      if (!dialog.hidden && playingButton && dialog.contains(playingButton)) stopSpeaking();
      clearTimeout(warnTimer);
      clearTimeout(resetTimer);
      dialog.hidden = true;
      warnTimer = setTimeout(warn, warnAfter);
      resetTimer = setTimeout(reset, resetAfter);
    };
    var warn = function () {
      dialog.hidden = false;
      /* Kiosks allow sound without a touch: the warning is heard too. */
      var speaker = dialog.querySelector("button[data-say]:not([hidden])");
      if (speaker) say(speaker);
      var more = dialog.querySelector("[data-more-time]");
      if (more) more.focus();
    };
    var reset = function () { startAgain(resetUrl); };
    ["pointerdown", "keydown", "input", "wheel"].forEach(function (name) {
      doc.addEventListener(name, function () { if (dialog.hidden) schedule(); }, true);
    });
    dialog.querySelector("[data-more-time]").addEventListener("click", schedule);
    schedule();
  }

  /* Screens on the wall refresh themselves. */
  var refresh = Number(body.getAttribute("data-refresh"));
  var reloadWhenQuiet = function () {
    /* never in the middle of a call or of what a speaker button plays */
    if (announcing || !player.paused) setTimeout(reloadWhenQuiet, 1000);
    else window.location.reload();
  };
  if (refresh > 0) setTimeout(reloadWhenQuiet, refresh * 1000);
})();
