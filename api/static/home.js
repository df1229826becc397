// Sign-in on the landing page: the tokens stay in this tab (sessionStorage), never in a cookie.
const API = "/api/v1";
const $ = (id) => document.getElementById(id);

async function showSignedIn(token) {
  const me = await fetch(`${API}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  if (!me.ok) {
    sessionStorage.removeItem("skillhub.access_token");
    return false;
  }
  const user = await me.json();
  $("who").textContent = user.display_name;
  $("roles").textContent = user.roles.join(", ");
  $("sign-in").hidden = true;
  $("signed-in").hidden = false;
  return true;
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = $("sign-in-error");
  error.hidden = true;
  const answer = await fetch(`${API}/sessions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
  });
  if (!answer.ok) {
    const problem = await answer.json().catch(() => ({}));
    error.textContent = problem.detail || problem.title || `Sign-in failed (${answer.status})`;
    error.hidden = false;
    return;
  }
  const tokens = await answer.json();
  sessionStorage.setItem("skillhub.access_token", tokens.access_token);
  await showSignedIn(tokens.access_token);
}

async function signOut() {
  const token = sessionStorage.getItem("skillhub.access_token");
  sessionStorage.removeItem("skillhub.access_token");
  if (token) {
    await fetch(`${API}/sessions/current`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
  }
  $("signed-in").hidden = true;
  $("sign-in").hidden = false;
}

window.addEventListener("DOMContentLoaded", async () => {
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  const token = sessionStorage.getItem("skillhub.access_token");
  if (token) await showSignedIn(token);
});
