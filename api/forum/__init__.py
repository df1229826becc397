"""Forum endpoints (community context): forums, threads and posts, answers, moderation, search."""

from api.forum import answers, attachments, follows, forums, moderation, search, threads

ROUTERS = [forums.router, threads.router, answers.router, moderation.router, search.router, attachments.router,
           follows.router]
