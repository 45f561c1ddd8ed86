"""Following an organization, a strategy or a goal: Atom feeds of the event log
(`indicators.Update`) and e-mail subscriptions with double opt-in and a weekly digest at most.
A subscription stores an address and what it follows, nothing more (`indicators.Subscription`)."""
