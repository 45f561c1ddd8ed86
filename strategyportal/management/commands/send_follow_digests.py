from django.core.management.base import BaseCommand
from django.utils import timezone

from strategyportal.follow.digests import send_digests
from strategyportal.follow.subscriptions import forget_unconfirmed


class Command(BaseCommand):
    help = (
        "Sender ugens e-mail til dem, der følger en organisation, strategi eller et mål: "
        "højst én om ugen pr. abonnement, og kun når der er sket noget; sletter de adresser, "
        "der ikke blev bekræftet i tide. Køres dagligt fra cron."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        forgotten = forget_unconfirmed(now=now)
        sent = send_digests(now=now)
        if options["verbosity"] > 0:
            self.stdout.write(f"{sent} sent, {forgotten} unconfirmed deleted")
