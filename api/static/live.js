// Live session pages (student and examiner): log in, open the session's WebSocket, show the
// feed, and connect audio/video with WebRTC. The examiner calls each student who connects;
// signalling goes over the same socket and the server relays it only between people allowed to talk.
"use strict";
(function () {
  const root = document.getElementById("live");
  const sessionId = root.dataset.sessionId, page = root.dataset.page;
  const statusLine = document.getElementById("status"), feed = document.getElementById("feed");
  const peers = new Map();  // person id -> RTCPeerConnection
  let socket = null, token = null, refresh = null, me = null, iceServers = [], localStream = null, last = 0;
  window.liveState = { remoteTracks: 0, entries: 0, status: "idle" };

  function show(text) { statusLine.textContent = text; window.liveState.status = text; }
  function send(frame) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame)); }

  async function logIn(email, password) {
    const r = await fetch("/api/v1/sessions", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password }) });
    if (!r.ok) throw new Error("login failed");
    const body = await r.json();
    token = body.access_token; refresh = body.refresh_token;
    setTimeout(renew, Math.max(5, body.expires_in - 60) * 1000);
  }

  async function renew() {  // a new token before the old one expires, handed to the open socket
    const r = await fetch("/api/v1/sessions/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: refresh }) });
    if (!r.ok) return;
    const body = await r.json();
    token = body.access_token; refresh = body.refresh_token;
    send({ type: "token", token });
    setTimeout(renew, Math.max(5, body.expires_in - 60) * 1000);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/api/v1/live-sessions/${sessionId}/socket`);
    socket.onopen = () => send({ type: "hello", token, last_position: last });
    socket.onmessage = (m) => receive(JSON.parse(m.data));
    socket.onclose = (e) => { show(`disconnected (${e.code})`); if (e.code !== 4401 && e.code !== 4404) setTimeout(connect, 1000); };
  }

  function receive(frame) {
    if (frame.type === "welcome") {
      me = frame.person_id; iceServers = frame.ice_servers; show(`connected as ${frame.role}`);
      document.getElementById("chat").hidden = false;
      if (page === "student") reportCamera();
    } else if (frame.type === "entry") {
      if (frame.position <= last) return;  // never shown twice
      last = frame.position; window.liveState.entries += 1;
      const item = document.createElement("li");
      item.textContent = `${frame.kind}: ${frame.body.text || frame.body.reason || frame.body.person_id || ""}`;
      feed.appendChild(item);
      if (page === "examiner" && frame.kind === "connected" && frame.body.person_id !== me) call(frame.body.person_id);
    } else if (frame.type === "signal") {
      onSignal(frame.from_id, frame.signal);
    }
  }

  function peer(personId) {
    if (peers.has(personId)) peers.get(personId).close();
    const pc = new RTCPeerConnection({ iceServers });
    peers.set(personId, pc);
    localStream.getTracks().forEach((t) => pc.addTrack(t, localStream));
    pc.onicecandidate = (e) => { if (e.candidate) send({ type: "signal", to_id: personId, signal: { kind: "ice", candidate: e.candidate.toJSON() } }); };
    pc.ontrack = (e) => {
      window.liveState.remoteTracks += 1;
      let video = document.getElementById(`v-${personId}`);
      if (!video) { video = document.createElement("video"); video.id = `v-${personId}`; video.autoplay = true; video.playsInline = true;
        document.getElementById("videos").appendChild(video); }
      video.srcObject = e.streams[0];
    };
    return pc;
  }

  async function call(personId) {
    const pc = peer(personId);
    await pc.setLocalDescription(await pc.createOffer());
    send({ type: "signal", to_id: personId, signal: { kind: "offer", sdp: pc.localDescription.sdp } });
  }

  async function onSignal(from, signal) {
    if (signal.kind === "offer") {
      const pc = peer(from);
      await pc.setRemoteDescription({ type: "offer", sdp: signal.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      send({ type: "signal", to_id: from, signal: { kind: "answer", sdp: pc.localDescription.sdp } });
    } else if (signal.kind === "answer" && peers.has(from)) {
      await peers.get(from).setRemoteDescription({ type: "answer", sdp: signal.sdp });
    } else if (signal.kind === "ice" && peers.has(from)) {
      await peers.get(from).addIceCandidate(signal.candidate);
    }
  }

  // The camera's state, reported on connecting and on every change: with the rule
  // camera_required the server records each change and holds the exam until the camera is on.
  function reportCamera() {
    const track = localStream && localStream.getVideoTracks()[0];
    send({ type: "media", camera: !!track && track.readyState === "live" && track.enabled && !track.muted });
  }

  // Integrity signals: facts for the examiner (the page lost focus or was hidden), not a verdict.
  if (page === "student") {
    window.addEventListener("blur", () => send({ type: "integrity", kind: "focus_lost" }));
    window.addEventListener("focus", () => send({ type: "integrity", kind: "focus_back" }));
    document.addEventListener("visibilitychange", () =>
      send({ type: "integrity", kind: document.hidden ? "page_hidden" : "page_visible" }));
  }

  document.getElementById("login").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    try {
      await logIn(form.get("email"), form.get("password"));
      localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const track of localStream.getVideoTracks()) {
        for (const change of ["ended", "mute", "unmute"]) track.addEventListener(change, reportCamera);
      }
      document.getElementById("local").srcObject = localStream;
      e.target.hidden = true;
      connect();
    } catch (err) { show(String(err)); }
  });

  document.getElementById("chat").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = e.target.elements.text;
    if (input.value.trim()) send({ type: "chat", text: input.value });
    input.value = "";
  });
  const hand = document.getElementById("hand");
  if (hand) hand.addEventListener("click", () => send({ type: "hand" }));
})();
