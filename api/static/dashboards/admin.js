// The admin's page, from the analytics reports: platform totals now, accounts by role, per day
// over the last 30 days learning and joining, and the ten courses with the most enrolments.

const TOTALS = {
  active_users: "Active accounts", published_courses: "Published courses", classes: "Classes",
  enrolments: "Course enrolments", course_completions: "Courses completed", results: "Results handed in",
  events_in_log: "Events in the log",
};

function line(label, values, color, axis = "y") {
  return { label, data: values, borderColor: color, backgroundColor: color, tension: 0.2, pointRadius: 2, yAxisID: axis };
}

dashboard(async () => {
  const [usage, popularity] = await Promise.all([api("/analytics/platform?days=30"), api("/analytics/courses/popularity")]);
  $("totals").replaceChildren(...Object.entries(TOTALS).map(([key, label]) =>
    el("div", { class: "tile", "data-total": key }, el("dt", { text: label }), el("dd", { text: String(usage.totals[key]) }))));
  const roles = Object.entries(usage.totals.users_by_role);
  chart("roles-chart", "bar", { labels: roles.map(([role]) => role),
    datasets: [{ label: "Active accounts", data: roles.map(([, n]) => n), backgroundColor: "#8250df" }] },
  { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });

  const series = dailySeries(usage.rows, "day", 30);
  const counts = { beginAtZero: true, ticks: { precision: 0 } };
  chart("learning-chart", "line", { labels: series.labels, datasets: [
    line("Active learners", series.of("active_learners"), "#2da44e"),
    line("Results handed in", series.of("results"), "#e8a33d"),
    line("Learning events", series.of("learning_events"), "#1f6feb", "events"),
  ] }, { scales: { y: counts, events: { ...counts, position: "right", grid: { drawOnChartArea: false } } } });
  chart("joining-chart", "bar", { labels: series.labels, datasets: [
    { label: "New course enrolments", data: series.of("new_enrolments"), backgroundColor: "#1f6feb" },
    { label: "New class members", data: series.of("new_class_members"), backgroundColor: "#8250df" },
  ] }, { scales: { x: { stacked: true }, y: { ...counts, stacked: true } } });

  const top = popularity.rows.slice(0, 10);
  chart("popularity-chart", "bar", { labels: top.map((c) => c.title), datasets: [
    { label: "Enrolments", data: top.map((c) => c.enrolments), backgroundColor: "#1f6feb" },
    { label: "Completions", data: top.map((c) => c.completions), backgroundColor: "#2da44e" },
  ] }, { indexAxis: "y", scales: { x: counts } });
});
