from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=40)),
                ('join_code', fields.CharField(unique=True, max_length=12)),
                ('name', fields.CharField(max_length=120)),
                ('date', fields.DateField()),
                ('timezone', fields.CharField(max_length=64)),
                ('venue', fields.CharField(default='', max_length=120)),
                ('organiser_key', fields.CharField(max_length=64)),
                ('facilitator_key', fields.CharField(null=True, max_length=64)),
                ('pitching_open', fields.BooleanField(default=True)),
                ('voting_open', fields.BooleanField(default=False)),
                ('dots_per_attendee', fields.IntField(default=3)),
                ('dots_stack', fields.BooleanField(default=False)),
                ('seq', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'event', 'app': 'snug', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attendee',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='attendees', on_delete=OnDelete.CASCADE)),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(default='', max_length=60)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'attendee', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'Someone who joined from a phone. No account: a device token is the identity.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Change',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('kind', fields.CharField(max_length=40)),
                ('data', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('actor', fields.CharField(max_length=40)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'change', 'app': 'snug', 'unique_together': (('event', 'seq'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Pitch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='pitches', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=120)),
                ('pitch', fields.CharField(default='', max_length=280)),
                ('host', fields.CharField(default='', max_length=80)),
                ('format', fields.CharField(default='discussion', max_length=20)),
                ('tags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('author', fields.ForeignKeyField('snug.Attendee', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='pitches', on_delete=OnDelete.SET_NULL)),
                ('hidden', fields.BooleanField(default=False)),
                ('merged_into', fields.ForeignKeyField('snug.Pitch', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'pitch', 'app': 'snug', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Dot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='dots', on_delete=OnDelete.CASCADE)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='dots', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.ForeignKeyField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='dots', on_delete=OnDelete.CASCADE)),
                ('placed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dot', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'One vote. It also says "I want to be there", which allocation works from.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Room',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='rooms', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=80)),
                ('capacity', fields.IntField()),
                ('features', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'room', 'app': 'snug', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Slot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.CharField(max_length=16)),
                ('ends_at', fields.CharField(max_length=16)),
                ('label', fields.CharField(default='', max_length=80)),
            ],
            options={'table': 'slot', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'A block of time. Times are wall-clock in the event\'s time zone ("2026-11-23T09:30"),'},
            bases=['Model'],
        ),
    ]
