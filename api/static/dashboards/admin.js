// The admin's page: platform totals now and, per day over the last 30 days, people and learning.

const TOTALS = {
  active_accounts: "Active accounts", teachers: "Teachers", published_courses: "Published courses",
  open_classes: "Open classes", active_enrolments: "Enrolments", quiz_attempts: "Quiz attempts",
  certificates: "Certificates",
};

function line(label, values, color) {
  return { label, data: values, borderColor: color, backgroundColor: color, tension: 0.2, pointRadius: 2 };
}

dashboard(async () => {
  const usage = await api("/dashboards/platform?days=30");
  $("totals").replaceChildren(...Object.entries(TOTALS).map(([key, label]) =>
    el("div", { class: "tile", "data-total": key }, el("dt", { text: label }), el("dd", { text: String(usage.totals[key]) }))));
  const labels = usage.days.map((d) => d.day.slice(5));
  const series = (key) => usage.days.map((d) => d[key]);
  const counts = { y: { beginAtZero: true, ticks: { precision: 0 } } };
  chart("people-chart", "line", { labels, datasets: [
    line("Sign-ups", series("sign_ups"), "#8250df"),
    line("People signed in", series("people_signed_in"), "#1f6feb"),
    line("Active learners", series("active_learners"), "#2da44e"),
  ] }, { scales: counts });
  chart("learning-chart", "bar", { labels, datasets: [
    { label: "Lessons completed", data: series("lessons_completed"), backgroundColor: "#1f6feb" },
    { label: "Quizzes submitted", data: series("quizzes_submitted"), backgroundColor: "#e8a33d" },
  ] }, { scales: { x: { stacked: true }, y: { ...counts.y, stacked: true } } });
});
