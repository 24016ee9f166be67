"""Stage 5, routing: before retrieval, decline or redirect what the documents can't or shouldn't answer.

    router.py     a question in, a Route (RouteKind and message) out
"""
