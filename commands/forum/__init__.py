"""Forum commands (community context): forums, posting, answers, moderation."""
