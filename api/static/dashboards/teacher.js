// The teacher's page, for one class or owned course at a time: mastery per skill (students per band),
// engagement by week, the funnel with its drop-off, the students at risk with the reasons, one quiz's
// score distribution and item analysis, and for a class its progress by lesson as a heat map, percent
// complete per student and each student's mastery per skill.

function drawHeatMap(map) {
  const head = el("tr", {}, el("th", { text: "Student" }),
    ...map.lessons.map((l, i) => el("th", { title: l.title, scope: "col" }, `${i + 1}. ${l.title}`)));
  const rows = map.students.map((s, row) => el("tr", { "data-student": s.student_id },
    el("th", { scope: "row", text: s.display_name }),
    ...map.values[row].map((value, col) => el("td", {
      "data-value": value === null ? "" : String(value),
      class: value === null ? "none" : value >= 1 ? "done" : "opened",
      style: value === null || value >= 1 ? null : `--share: ${value}`,
      title: `${s.display_name} · ${map.lessons[col].title}: ${value === null ? "not opened" : value >= 1 ? "completed"
        : value > 0 ? `opened, ${Math.round(100 * value)}% of videos watched` : "opened"}`,
    }, value === null ? "" : value >= 1 ? "✓" : value > 0 ? `${Math.round(100 * value)}%` : "•"))));
  $("heat-map").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

const BANDS = ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"];
const BAND_COLOURS = ["#a4161a", "#e8a33d", "#d9c95b", "#8cc084", "#2da44e"];

// Per skill, the scope's current students in each fifth of the scale, stacked, and those not yet estimated.
function drawMasteryBands(mastery) {
  const skills = mastery.skills, students = mastery.student_count;
  $("mastery-summary").textContent = skills.length
    ? skills.map((s) => `${s.skill}: ${s.mastered} of ${students} mastered`
      + (s.mean === null ? "" : `, mean ${Math.round(100 * s.mean)}%`)).join(" · ")
    : "No published quiz names a skill yet.";
  chart("mastery-bands-chart", "bar", { labels: skills.map((s) => s.skill), datasets: [
    ...BANDS.map((band, b) => ({ label: band, data: skills.map((s) => s.bands[b]), backgroundColor: BAND_COLOURS[b] })),
    { label: "No estimate yet", data: skills.map((s) => students - s.students_estimated), backgroundColor: "#dde1e7" },
  ] }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
}

function drawMasteryMap(mastery) {
  const head = el("tr", {}, el("th", { text: "Student" }),
    ...mastery.skills.map((s) => el("th", { scope: "col", title: s.skill, text: s.skill })));
  const rows = mastery.students.map((student, row) => el("tr", { "data-student": student.student_id },
    el("th", { scope: "row", text: student.display_name }),
    ...mastery.values[row].map((p, col) => el("td", {
      "data-value": p === null ? "" : String(p),
      class: p === null ? "none" : p >= 0.6 ? "mastery high" : "mastery",
      style: p === null ? null : `--p: ${p}`,
      title: `${student.display_name} · ${mastery.skills[col].skill}: ${p === null ? "no answer yet"
        : `${Math.round(100 * p)}% after ${mastery.answers[row][col]} answers`}`,
    }, p === null ? "" : `${Math.round(100 * p)}%`))));
  $("mastery-map").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

async function drawMastery(scope) {
  const mastery = await api(`/dashboards/scopes/${scope.scope_id}/mastery`);
  drawMasteryBands(mastery);
  if (scope.scope === "class") drawMasteryMap(mastery);
}

function drawProgress(rows) {
  chart("progress-chart", "bar", {
    labels: rows.map((r) => r.display_name),
    datasets: [{ label: "Percent complete", data: rows.map((r) => r.percent_complete), backgroundColor: "#1f6feb" }],
  }, { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } });
}

// Weeks with any activity over the whole history (an imported presentation lasts months).
async function drawEngagement(scopeId) {
  const rows = (await api(`/analytics/scopes/${scopeId}/engagement?period=week`)).rows;
  chart("engagement-chart", "bar", { labels: rows.map((r) => r.period_start), datasets: [
    { label: "Active students", data: rows.map((r) => r.active_students), backgroundColor: "#2da44e" },
    { label: "Lessons completed", data: rows.map((r) => r.completions), backgroundColor: "#1f6feb" },
    { label: "Results handed in", data: rows.map((r) => r.results), backgroundColor: "#e8a33d" },
  ] }, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
}

async function drawFunnel(scopeId) {
  const funnel = await api(`/analytics/scopes/${scopeId}/funnel`);
  const drop = funnel.drop_off;
  $("drop-off").textContent = drop ? `Most students stop at step ${drop.step_no}, ${drop.title} (${drop.lost} fewer).`
    : "No step loses students.";
  chart("funnel-chart", "bar", { labels: funnel.rows.map((r) => `${r.step_no}. ${r.title}`), datasets: [
    { label: "Percent of enrolled who reached it", data: funnel.rows.map((r) => r.percent_of_enrolled),
      backgroundColor: funnel.rows.map((r) => (drop && r.step_no === drop.step_no ? "#a4161a" : "#1f6feb")) },
  ] }, { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } });
}

const AT_RISK_SHOWN = 200;

async function drawAtRisk(classId) {
  $("at-risk-csv").onclick = () => saveFile(`/analytics/scopes/${classId}/at-risk?format=csv`, `at-risk-${classId}.csv`);
  const { rows, total } = await api(`/analytics/scopes/${classId}/at-risk?limit=${AT_RISK_SHOWN}`);
  $("at-risk-empty").textContent = "No student is at risk.";
  $("at-risk-count").textContent = total > rows.length
    ? `${total} students at risk; the first ${rows.length} are listed, the CSV has them all.` : "";
  fill("at-risk", rows.map((r) => el("tr", { "data-student": r.student_id },
    el("td", { text: r.display_name }),
    el("td", {}, ...r.reasons.map((reason) => el("span", { class: `tag ${reason}`, text: reason })), " ",
      el("span", { class: "muted", text: r.detail || "" })))));
}

async function drawQuiz(quizId) {
  const stats = await api(`/quizzes/${quizId}/statistics`);
  const d = stats.distribution;
  $("quiz-summary").textContent = d.count
    ? `${d.count} students counted · mean ${d.mean.toFixed(1)}% · median ${d.median.toFixed(1)}%`
    : "Nobody has submitted this quiz yet.";
  chart("distribution-chart", "bar", {
    labels: d.bins.map((b) => `${b.from}–${b.to}%`),
    datasets: [{ label: "Students", data: d.bins.map((b) => b.count), backgroundColor: "#1f6feb" }],
  }, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } });
  chart("items-chart", "bar", {
    labels: stats.items.map((item) => item.title),
    datasets: [
      { label: "Difficulty (share right)", data: stats.items.map((item) => item.difficulty), backgroundColor: "#2da44e" },
      { label: "Discrimination", data: stats.items.map((item) => item.discrimination), backgroundColor: "#e8a33d" },
    ],
  }, { scales: { y: { min: -1, max: 1 } } });
}

async function showQuizzes(scope) {
  const path = scope.scope === "class" ? `/classes/${scope.scope_id}/quizzes` : `/courses/${scope.scope_id}/quizzes`;
  const quizzes = (await api(`${path}?limit=200`)).items.filter((q) => q.latest_version);
  $("quiz-select").replaceChildren(...quizzes.map((q) => el("option", { value: q.quiz_id, text: q.title })));
  $("quizzes-empty").hidden = quizzes.length > 0;
  $("quiz-charts").hidden = quizzes.length === 0;
  if (quizzes.length) await drawQuiz(quizzes[0].quiz_id);
}

// A class shows its students lesson by lesson too; a course (possibly thousands of students) does not.
async function showScope(scopeId) {
  const scope = scopes.find((s) => s.scope_id === scopeId);
  for (const section of document.querySelectorAll(".class-only")) section.hidden = scope.scope !== "class";
  const work = [drawMastery(scope), drawEngagement(scopeId), drawFunnel(scopeId), drawAtRisk(scopeId), showQuizzes(scope)];
  if (scope.scope === "class") {
    work.push(api(`/dashboards/classes/${scopeId}/heat-map`).then(drawHeatMap),
              api(`/classes/${scopeId}/progress?limit=200`).then((page) => drawProgress(page.items)));
  }
  await Promise.all(work);
}

function onChange(id, draw) {
  $(id).addEventListener("change", async (event) => {
    document.body.dataset.ready = "loading";
    try {
      await draw(event.target.value);
      ready();
    } catch (error) {
      showError(error);
    }
  });
}

let scopes = [];

dashboard(async () => {
  scopes = (await api("/dashboards/me/teaching")).items;
  $("scope-select").replaceChildren(...scopes.map((s) => el("option", { value: s.scope_id, "data-scope": s.scope,
    text: `${s.title} (${s.scope}, ${s.students} students)` })));
  $("scopes-empty").hidden = scopes.length > 0;
  onChange("scope-select", showScope);
  onChange("quiz-select", drawQuiz);
  // ?scope=ID opens that class or course (a link to share); else the first one.
  const wanted = new URLSearchParams(location.search).get("scope");
  const first = scopes.find((s) => s.scope_id === wanted) || scopes[0];
  if (first) {
    $("scope-select").value = first.scope_id;
    await showScope(first.scope_id);
  }
});
