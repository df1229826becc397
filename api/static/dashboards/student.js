// The student's page: progress per course and class, activity by day, what is due and overdue, grades,
// certificates (the PDF fetched with the token, then saved), mastery per skill with its uncertainty,
// the next steps and the recommended courses, each with its reason.

function progressBar(name, percent, detail) {
  return el("li", { class: "bar-row", "data-percent": percent },
    el("span", { class: "bar-name", text: name }),
    el("progress", { max: "100", value: String(percent), "aria-label": `${name}: ${percent}%` }),
    el("span", { class: "bar-value", text: `${percent}%` }),
    el("span", { class: "muted bar-detail", text: detail }));
}

function hours(seconds) {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.round(seconds / 60)} min`;
}

// Each course and class with the progress read model's numbers (lessons, quizzes and assessments).
function drawProgress(scopes) {
  fill("progress", scopes.filter((s) => s.active).map((s) => progressBar(s.title, s.percent_complete,
    `${s.scope} · ${s.lessons_completed} of ${s.lessons_total} lessons · ${s.results} of ${s.graded_items_total}`
    + ` quizzes and assessments done, ${s.quizzes_passed} passed · ${hours(s.time_spent_seconds)} spent`
    + (s.current_streak_days ? ` · ${s.current_streak_days}-day streak` : ""))));
}

function drawActivity(days) {
  chart("activity-chart", "bar", {
    labels: days.map((d) => d.day.slice(5)),
    datasets: [
      { label: "Lessons opened", data: days.map((d) => d.lesson_views), backgroundColor: "#9ec5fe", stack: "n" },
      { label: "Lessons completed", data: days.map((d) => d.completions), backgroundColor: "#1f6feb", stack: "n" },
      { label: "Results handed in", data: days.map((d) => d.results), backgroundColor: "#e8a33d", stack: "n" },
      { label: "Minutes spent", data: days.map((d) => d.minutes), type: "line", yAxisID: "minutes",
        borderColor: "#2da44e", backgroundColor: "#2da44e", pointRadius: 2 },
    ],
  }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
                 minutes: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } });
}

// Overdue first (latest first, as the read model orders them), then what is due next, soonest first.
function drawDue(overview) {
  const titleOf = Object.fromEntries(overview.scopes.map((s) => [s.scope_id, s.title]));
  const line = (item, late) => el("li", { class: late ? "overdue" : null, "data-item": item.item_id },
    el("strong", { text: item.kind === "course" ? item.title : `${item.title} (${titleOf[item.scope_id] || item.scope})` }),
    ` ${late ? "was due" : "due"} ${when(item.due_at)}`);
  fill("due", [...overview.overdue.map((item) => line(item, true)), ...overview.due_next.map((item) => line(item, false))]);
}

async function drawGrades(me, scopes) {
  const grades = await Promise.all(scopes.map((s) => api(`/gradebooks/${s.scope_id}/students/${me.user_id}`)));
  $("grades").replaceChildren(...scopes.map((s, i) => el("tr", { "data-scope": s.scope_id },
    el("td", { text: s.title }),
    el("td", { class: "num", text: grades[i].final === null ? "–" : `${grades[i].final}` }),
    el("td", { text: grades[i].letter || "" }))));
}

function drawCertificates(certificates) {
  fill("certificates", certificates.map((c) => {
    const button = el("button", { type: "button", class: "link", text: "Download PDF" });
    button.addEventListener("click", () => saveFile(`/certificates/${c.certificate_id}/pdf`, `certificate-${c.code}.pdf`));
    return el("li", { "data-certificate": c.certificate_id },
      el("strong", { text: c.course_title }), ` issued ${day(c.issued_at)}`,
      c.revoked_at ? el("span", { class: "overdue", text: " (revoked)" }) : "", " ", button);
  }));
}

const percent = (p) => `${Math.round(100 * p)}%`;

// The estimate as a point on its 95% interval (a floating bar), one column per skill.
function drawMastery(mastery) {
  $("mastery-empty").hidden = mastery.skills.length > 0;
  $("mastery-chart").parentElement.hidden = mastery.skills.length === 0;
  chart("mastery-chart", "bar", {
    labels: mastery.skills.map((s) => s.skill),
    datasets: [
      { label: "95% interval", data: mastery.skills.map((s) => [s.low, s.high]), backgroundColor: "#9ec5fe",
        barPercentage: 0.4, order: 1 },
      // order 0: drawn over the interval
      { label: "Chance of answering right", type: "line", showLine: false, order: 0,
        data: mastery.skills.map((s) => s.probability),
        pointRadius: 6, pointStyle: "rectRot", borderColor: "#1f3a5f", backgroundColor: mastery.skills.map(
          (s) => (s.mastered ? "#2da44e" : "#1f3a5f")) },
    ],
  }, { scales: { y: { min: 0, max: 1, ticks: { callback: (v) => percent(v) } } },
       plugins: { tooltip: { callbacks: { label: (item) => {
         const s = mastery.skills[item.dataIndex];
         return `${percent(s.probability)} (${percent(s.low)}–${percent(s.high)}) after ${s.answers} answers`
           + (s.mastered ? ", mastered" : "");
       } } } } });
}

const STEP = { continue: "Continue where you left off", review: "Review", lesson: "Lesson", practice: "Practice" };

function stepTitle(step) {
  if (step.kind === "continue") return STEP.continue;
  if (step.kind === "practice") {
    const count = step.target.questions.length;
    return `Practice ${step.skill}` + (count ? ` (${count} question${count > 1 ? "s" : ""} at your level)` : "");
  }
  if (step.kind === "lesson") return `Lesson on ${step.skill} (${step.target.lesson_ids.length} to choose from)`;
  return `Review ${step.skill}`;
}

function drawNextSteps(steps) {
  fill("next-steps", steps.suggestions.map((s) => el("li", { "data-kind": s.kind, "data-suggestion": s.suggestion_id },
    el("strong", { text: stepTitle(s) }), el("span", { class: "why", text: s.reason }))));
}

function drawRecommendations(recommended) {
  fill("recommendations", recommended.items.map((c) => el("li", { "data-course": c.course_id, "data-reason": c.reason },
    el("strong", { text: c.title }), el("span", { class: "why", text: c.explanation }))));
}

// The 30 days to today, or to the last active day when that is older (a history imported from years ago).
function activityWindow(scopes) {
  const last = scopes.map((s) => s.last_activity_at).filter(Boolean).sort().pop();
  const stale = last && Date.parse(last) < Date.now() - 30 * 86400000;
  $("activity-title").textContent = stale ? `Activity, the 30 days to ${day(last)}` : "Activity, last 30 days";
  return stale ? `/dashboards/me/activity?days=30&until=${day(last)}` : "/dashboards/me/activity?days=30";
}

// Progress first (the activity window and grades depend on it), the learning panels beside it.
async function drawProgressAndGrades(me) {
  const [overview, certificates] = await Promise.all([
    api(`/progress/students/${me.user_id}`), api("/me/certificates").then((r) => r.items)]);
  drawProgress(overview.scopes);
  drawDue(overview);
  drawCertificates(certificates);
  await Promise.all([api(activityWindow(overview.scopes)).then((activity) => drawActivity(activity.days)),
                     drawGrades(me, overview.scopes.filter((s) => s.active))]);
}

dashboard((me) => Promise.all([
  drawProgressAndGrades(me),
  api(`/learners/${me.user_id}/mastery`).then(drawMastery),
  api(`/learners/${me.user_id}/next-steps?limit=5`).then(drawNextSteps),
  api("/me/recommendations?limit=5").then(drawRecommendations),
]));
