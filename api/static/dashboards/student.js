// The student's page: progress per course and class, activity by day, what is due, grades,
// certificates (the PDF fetched with the token, then saved), and a place for recommendations.

function progressBar(name, percent, detail) {
  return el("li", { class: "bar-row", "data-percent": percent },
    el("span", { class: "bar-name", text: name }),
    el("progress", { max: "100", value: String(percent), "aria-label": `${name}: ${percent}%` }),
    el("span", { class: "bar-value", text: `${percent}%` }),
    el("span", { class: "muted bar-detail", text: detail }));
}

async function myClasses(me) {
  const classes = (await api("/me/classes?limit=100")).items.filter((c) => c.role === "student");
  return Promise.all(classes.map(async (c) => {
    const [progress, quizzes] = await Promise.all([
      api(`/classes/${c.class_id}/progress`), api(`/classes/${c.class_id}/quizzes?limit=100`)]);
    return { ...c, progress: progress.items.find((row) => row.student_id === me.user_id), quizzes: quizzes.items };
  }));
}

function drawProgress(courses, classes) {
  fill("progress", [
    ...courses.map((c) => progressBar(c.title, c.percent_complete,
      `${c.lessons_completed} of ${c.lessons_total} lessons · course`)),
    ...classes.filter((c) => c.progress).map((c) => progressBar(c.name, c.progress.percent_complete,
      `${c.progress.completed_lessons} of ${c.progress.total_lessons} lessons · class`)),
  ]);
}

function drawActivity(days) {
  chart("activity-chart", "bar", {
    labels: days.map((d) => d.day.slice(5)),
    datasets: [
      { label: "Lessons completed", data: days.map((d) => d.lessons_completed), backgroundColor: "#1f6feb" },
      { label: "Quizzes submitted", data: days.map((d) => d.quizzes_submitted), backgroundColor: "#e8a33d" },
    ],
  }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
}

// Courses with a due date not yet completed, and class quizzes due or closing that have no submitted attempt.
function drawDue(courses, classes, attempts) {
  const submitted = new Set(attempts.filter((a) => a.submitted_at).map((a) => a.quiz_id));
  const now = Date.now();
  const due = [
    ...courses.filter((c) => c.due_at && c.status !== "completed").map((c) => ({ title: c.title, at: c.due_at })),
    ...classes.flatMap((c) => c.quizzes.filter((q) => !submitted.has(q.quiz_id)).map((q) => {
      const s = q.published_settings || {};
      return { title: `${s.title || q.title} (${c.name})`, at: s.due_at || s.closes_at };
    }).filter((item) => item.at)),
  ].sort((a, b) => a.at.localeCompare(b.at));
  fill("due", due.map((item) => {
    const late = Date.parse(item.at) < now;
    return el("li", { class: late ? "overdue" : null },
      el("strong", { text: item.title }), ` ${late ? "was due" : "due"} ${when(item.at)}`);
  }));
}

async function drawGrades(me, courses, classes) {
  const scopes = [...courses.map((c) => [c.course_id, c.title]), ...classes.map((c) => [c.class_id, c.name])];
  const grades = await Promise.all(scopes.map(([id]) => api(`/gradebooks/${id}/students/${me.user_id}`)));
  $("grades").replaceChildren(...scopes.map(([id, name], i) => el("tr", { "data-scope": id },
    el("td", { text: name }),
    el("td", { class: "num", text: grades[i].final === null ? "–" : `${grades[i].final}` }),
    el("td", { text: grades[i].letter || "" }))));
}

async function download(certificate) {
  const answer = await api(`/certificates/${certificate.certificate_id}/pdf`, { raw: true });
  const link = el("a", { href: URL.createObjectURL(await answer.blob()), download: `certificate-${certificate.code}.pdf` });
  link.click();
  URL.revokeObjectURL(link.href);
}

function drawCertificates(certificates) {
  fill("certificates", certificates.map((c) => {
    const button = el("button", { type: "button", class: "link", text: "Download PDF" });
    button.addEventListener("click", () => download(c));
    return el("li", { "data-certificate": c.certificate_id },
      el("strong", { text: c.course_title }), ` issued ${day(c.issued_at)}`,
      c.revoked_at ? el("span", { class: "overdue", text: " (revoked)" }) : "", " ", button);
  }));
}

dashboard(async (me) => {
  const [courses, classes, activity, attempts, certificates] = await Promise.all([
    api("/me/courses?limit=50").then((r) => r.items), myClasses(me), api("/dashboards/me/activity?days=30"),
    api("/me/attempts?limit=200").then((r) => r.items), api("/me/certificates").then((r) => r.items)]);
  drawProgress(courses, classes);
  drawActivity(activity.days);
  drawDue(courses, classes, attempts);
  drawCertificates(certificates);
  await drawGrades(me, courses, classes);
});
