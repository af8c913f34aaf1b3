from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AgendaChoice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='agenda_choices', on_delete=OnDelete.CASCADE)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='agenda', on_delete=OnDelete.CASCADE)),
                ('slot', fields.ForeignKeyField('snug.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='choices', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.ForeignKeyField('snug.Pitch', source_field='pitch_id', null=True, db_constraint=True, to_field='id', related_name='choices', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'agenda_choice', 'app': 'snug', 'unique_together': (('attendee', 'slot'),), 'pk_attr': 'id', 'table_description': 'The choice an attendee made for a slot. Without one, the agenda is filled from votes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GridStep',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='grid_steps', on_delete=OnDelete.CASCADE)),
                ('what', fields.CharField(max_length=120)),
                ('placements', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'grid_step', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'The working grid as it was before one edit, so facilitators can undo.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Placement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='placements', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.OneToOneField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='placement', on_delete=OnDelete.CASCADE)),
                ('room', fields.ForeignKeyField('snug.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='placements', on_delete=OnDelete.CASCADE)),
                ('slot', fields.ForeignKeyField('snug.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='placements', on_delete=OnDelete.CASCADE)),
                ('locked', fields.BooleanField(default=False)),
            ],
            options={'table': 'placement', 'app': 'snug', 'unique_together': (('room', 'slot'),), 'pk_attr': 'id', 'table_description': 'A session in a cell of the working grid that facilitators edit.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PublishedPlacement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='published', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.OneToOneField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='published', on_delete=OnDelete.CASCADE)),
                ('room', fields.ForeignKeyField('snug.Room', source_field='room_id', null=True, db_constraint=True, to_field='id', related_name='published', on_delete=OnDelete.SET_NULL)),
                ('slot', fields.ForeignKeyField('snug.Slot', source_field='slot_id', null=True, db_constraint=True, to_field='id', related_name='published', on_delete=OnDelete.SET_NULL)),
                ('sequence', fields.IntField(default=0)),
                ('modified_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'published_placement', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'Where attendees are told a session is. Kept when a session is dropped (room and slot'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Event',
            name='grid_live',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Event',
            name='grid_version',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Pitch',
            name='unavailable',
            field=fields.JSONField(default=list, db_default=[], encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Room',
            name='unavailable',
            field=fields.JSONField(default=list, db_default=[], encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Slot',
            name='kind',
            field=fields.CharField(default='session', db_default='session', max_length=10),
        ),
    ]
