"""Major-event mode (重大活动保障) in the console: the events of the user's scope, their
reception kitchens' own tour, the meals to sign off (with a snapshot from the wall) and the
event's report (central's ``/api/major-events``, actions ``event.signoff`` through the outbox)."""
