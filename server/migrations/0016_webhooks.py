from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('snug', '0015_feedback')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='webhook_endpoints', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=2000)),
                ('kinds', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('format', fields.CharField(max_length=10)),
                ('nonce', fields.CharField(max_length=32)),
                ('seen_seq', fields.IntField()),
                ('proceedings_seen', fields.BooleanField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'snug', 'pk_attr': 'id', 'table_description': "Where to tell another tool of an event's news, and which news it wants."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='webhook_deliveries', on_delete=OnDelete.CASCADE)),
                ('endpoint', fields.ForeignKeyField('snug.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('delivery_id', fields.CharField(unique=True, max_length=36)),
                ('kind', fields.CharField(max_length=40)),
                ('body', fields.TextField(unique=False)),
                ('state', fields.CharField(default='pending', max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('next_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('leased_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_delivery', 'app': 'snug', 'indexes': [Index(fields=['state', 'next_at'])], 'pk_attr': 'id', 'table_description': 'One message owed to one endpoint, with its body as it will be sent every attempt.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('snug.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name='tries', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.IntField(null=True)),
                ('error', fields.CharField(default='', max_length=200)),
                ('took_ms', fields.IntField()),
            ],
            options={'table': 'webhook_attempt', 'app': 'snug', 'pk_attr': 'id', 'table_description': "One try at a delivery, for the organiser's delivery log: never the secret or the URL."},
            bases=['Model'],
        ),
    ]
