// The teacher's page, for one class at a time: progress by lesson as a heat map, percent complete
// per student, engagement by day, the students at risk with the reasons, and one quiz's score distribution and item analysis.

function drawHeatMap(map) {
  const head = el("tr", {}, el("th", { text: "Student" }),
    ...map.lessons.map((l, i) => el("th", { title: l.title, scope: "col" }, `${i + 1}. ${l.title}`)));
  const rows = map.students.map((s, row) => el("tr", { "data-student": s.student_id },
    el("th", { scope: "row", text: s.display_name }),
    ...map.values[row].map((value, col) => el("td", {
      "data-value": value === null ? "" : String(value),
      class: value === null ? "none" : value >= 1 ? "done" : "opened",
      style: value === null || value >= 1 ? null : `--share: ${value}`,
      title: `${s.display_name} · ${map.lessons[col].title}: ${value === null ? "not opened"
        : value >= 1 ? "completed" : `opened, ${Math.round(100 * value)}% of videos watched`}`,
    }, value === null ? "" : value >= 1 ? "✓" : `${Math.round(100 * value)}%`))));
  $("heat-map").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function drawProgress(rows) {
  chart("progress-chart", "bar", {
    labels: rows.map((r) => r.display_name),
    datasets: [{ label: "Percent complete", data: rows.map((r) => r.percent_complete), backgroundColor: "#1f6feb" }],
  }, { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } });
}

async function drawEngagement(classId) {
  const since = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  const report = await api(`/analytics/scopes/${classId}/engagement?period=day&since=${since}`);
  const series = dailySeries(report.rows, "period_start", 30);
  chart("engagement-chart", "bar", { labels: series.labels, datasets: [
    { label: "Active students", data: series.of("active_students"), backgroundColor: "#2da44e" },
    { label: "Lessons completed", data: series.of("completions"), backgroundColor: "#1f6feb" },
    { label: "Results handed in", data: series.of("results"), backgroundColor: "#e8a33d" },
  ] }, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
}

async function drawAtRisk(classId) {
  const rows = (await api(`/analytics/scopes/${classId}/at-risk`)).rows;
  $("at-risk-empty").textContent = "No student is at risk.";
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

async function showQuizzes(classId) {
  const quizzes = (await api(`/classes/${classId}/quizzes?limit=200`)).items.filter((q) => q.latest_version);
  $("quiz-select").replaceChildren(...quizzes.map((q) => el("option", { value: q.quiz_id, text: q.title })));
  $("quizzes-empty").hidden = quizzes.length > 0;
  if (quizzes.length) await drawQuiz(quizzes[0].quiz_id);
}

async function showClass(classId) {
  document.body.dataset.ready = "loading";
  const [map, progress] = await Promise.all([
    api(`/dashboards/classes/${classId}/heat-map`), api(`/classes/${classId}/progress?limit=200`)]);
  drawHeatMap(map);
  drawProgress(progress.items);
  await Promise.all([drawEngagement(classId), drawAtRisk(classId), showQuizzes(classId)]);
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

dashboard(async () => {
  const classes = (await api("/me/classes?limit=200")).items.filter((c) => c.role === "teacher" && !c.archived_at);
  $("class-select").replaceChildren(...classes.map((c) => el("option", { value: c.class_id, text: c.name })));
  $("classes-empty").hidden = classes.length > 0;
  onChange("class-select", showClass);
  onChange("quiz-select", drawQuiz);
  if (classes.length) await showClass(classes[0].class_id);
});
