"""Durable mail. Callers: ``cardreg.mail.actions.queue_mail`` inside their own transaction.

models.py      the outbox (OutboxMessage, OutboxAttachment)
actions.py     queue_mail, Attachment, render_mail: render once, store, wake a worker on commit
delivery.py    deliver_due: claim with a conditional UPDATE (a lease), send, record, back off
transports.py  smtp (smtplib, one connection a sweep) and demo (no network); MIME building
tasks.py       send_queued_mail, the one django-tasks task, and how sweeps stay scheduled
views.py       the demo mailbox (CARDREG_DEMO only)
Templates: templates/mail/<name>.subject.txt, <name>.txt, <name>.html.
"""
