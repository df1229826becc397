"""Response models of the assessment routes (question banks, quizzes, attempts, reports).
Question contents and quiz settings are the documents their writers sent (their request
models in commands/assessment say each type's fields); here they stay objects."""
