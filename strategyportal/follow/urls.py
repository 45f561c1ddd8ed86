"""Following's addresses, in the portal's namespace: below an organization's address, below
a strategy's (`STRATEGY` in strategyportal/urls.py) and of their own under /foelg/."""

from django.urls import path

from strategyportal.follow import feeds, views

organization_patterns = [
    path("foelg/", views.follow_organization, name="follow_organization"),
    path("feed.atom", feeds.OrganizationFeed(), name="organization_feed"),
]

# Before a target's address (maal/<goal>/<indicator>/), which would take maal/<goal>/foelg/.
strategy_patterns = [
    path("foelg/", views.follow_strategy, name="follow_strategy"),
    path("feed.atom", feeds.StrategyFeed(), name="strategy_feed"),
    path("maal/<slug:goal>/foelg/", views.follow_goal, name="follow_goal"),
    path("maal/<slug:goal>/feed.atom", feeds.GoalFeed(), name="goal_feed"),
]

patterns = [
    path("tjek-din-email/", views.sent, name="follow_sent"),
    path("bekraeft/<str:token>/", views.confirm, name="follow_confirm"),
    path("afmeld/<str:token>/", views.unsubscribe, name="follow_unsubscribe"),
]
