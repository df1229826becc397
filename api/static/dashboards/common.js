// Shared by the dashboards: sign-in (the token stays in this tab, as on the landing page), calls to
// the API with it, and charts drawn with the vendored Chart.js. When a page has drawn everything it
// sets <body data-ready="true"> and window.dashboardReadyMs (time since navigation started).
const API = "/api/v1";
const TOKEN_KEY = "skillhub.access_token";
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The server answered ${status}`);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}), Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  const answer = await fetch(`${API}${path}`, { ...options, headers });
  if (!answer.ok) throw new ApiError(answer.status, await answer.json().catch(() => ({})));
  return options.raw ? answer : answer.json();
}

// A file the API serves only with the token (a certificate PDF, a report's CSV): fetched, then saved.
async function saveFile(path, filename) {
  const answer = await api(path, { raw: true });
  const link = el("a", { href: URL.createObjectURL(await answer.blob()), download: filename });
  link.click();
  URL.revokeObjectURL(link.href);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function fill(listId, nodes) {
  $(listId).replaceChildren(...nodes);
  const empty = $(`${listId}-empty`);
  if (empty) empty.hidden = nodes.length > 0;
}

const day = (iso) => iso.slice(0, 10);
const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

// Reports list only the days that had something: every one of the last `days` days (UTC, ending
// today) gets its row's values, or 0.
function dailySeries(rows, key, days) {
  const byDay = Object.fromEntries(rows.map((row) => [row[key], row]));
  const today = new Date();
  const labels = [], isoDays = [];
  for (let back = days - 1; back >= 0; back--) {
    const iso = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back))
      .toISOString().slice(0, 10);
    isoDays.push(iso);
    labels.push(iso.slice(5));
  }
  return { labels, days: isoDays, of: (field) => isoDays.map((d) => (byDay[d] ? byDay[d][field] : 0)) };
}

// One chart per canvas: drawing again replaces it. No animation, so the page is final when it says so.
function chart(canvasId, type, data, options = {}) {
  const canvas = $(canvasId);
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, {
    type, data,
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               plugins: { legend: { position: "bottom" } }, ...options },
  });
}

function ready() {
  window.dashboardReadyMs = Math.round(performance.now());
  document.body.dataset.ready = "true";
}

function showError(error) {
  $("load-error").textContent = error.message;
  $("load-error").hidden = false;
  document.body.dataset.ready = "error";
}

// Who the token says the caller is (its `sub` claim), so a page's first calls need not wait for
// /users/me; the server still checks the token on every call.
function tokenUserId() {
  const payload = sessionStorage.getItem(TOKEN_KEY).split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload)).sub;
}

async function showWho() {
  const me = await api("/users/me");
  $("who").textContent = `${me.display_name} (${me.roles.join(", ") || "student"})`;
}

async function start(render) {
  try {
    $("sign-in").hidden = true;
    $("dashboard").hidden = false;
    await Promise.all([showWho(), render({ user_id: tokenUserId() })]);
    ready();
  } catch (error) {
    if (error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      $("sign-in").hidden = false;
      $("dashboard").hidden = true;
      document.body.dataset.ready = "sign-in";
    } else {
      showError(error);
    }
  }
}

async function signIn(event, render) {
  event.preventDefault();
  const form = new FormData(event.target);
  const answer = await fetch(`${API}/sessions`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
  });
  if (!answer.ok) {
    const problem = await answer.json().catch(() => ({}));
    $("sign-in-error").textContent = problem.detail || problem.title || `Sign-in failed (${answer.status})`;
    $("sign-in-error").hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, (await answer.json()).access_token);
  $("sign-in-error").hidden = true;
  await start(render);
}

async function signOut() {
  await api("/sessions/current", { method: "DELETE" }).catch(() => null);
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
}

// Each page calls this with its own render(me).
function dashboard(render) {
  window.addEventListener("DOMContentLoaded", () => {
    $("sign-in-form").addEventListener("submit", (event) => signIn(event, render));
    $("sign-out").addEventListener("click", signOut);
    if (sessionStorage.getItem(TOKEN_KEY)) start(render);
    else {
      $("sign-in").hidden = false;
      document.body.dataset.ready = "sign-in";
    }
  });
}
