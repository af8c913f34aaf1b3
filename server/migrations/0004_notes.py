from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0003_seats')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notes',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.OneToOneField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.CASCADE)),
                ('state', fields.BinaryField()),
                ('compacted_to', fields.IntField(default=0)),
                ('content', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('chars', fields.IntField(default=0)),
                ('final', fields.BooleanField(default=False)),
                ('final_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notes', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'The notes of one session. The document is the merge of state and every later update.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Contributor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notes', fields.ForeignKeyField('snug.Notes', source_field='notes_id', db_constraint=True, to_field='id', related_name='contributors', on_delete=OnDelete.CASCADE)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='contributions', on_delete=OnDelete.CASCADE)),
                ('named', fields.BooleanField(default=False)),
                ('wrote', fields.BooleanField(default=True)),
                ('first_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notes_contributor', 'app': 'snug', 'unique_together': (('notes', 'attendee'),), 'pk_attr': 'id', 'table_description': 'Someone who wrote in the notes, or said before writing whether to show their name.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotesUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notes', fields.ForeignKeyField('snug.Notes', source_field='notes_id', db_constraint=True, to_field='id', related_name='updates', on_delete=OnDelete.CASCADE)),
                ('data', fields.BinaryField()),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', null=True, db_constraint=True, to_field='id', related_name='notes_updates', on_delete=OnDelete.SET_NULL)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notes_update', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'One acknowledged change to a notes document, as the CRDT encodes it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotesVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notes', fields.ForeignKeyField('snug.Notes', source_field='notes_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('content', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('chars', fields.IntField(default=0)),
                ('reason', fields.CharField(default='saved', max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notes_version', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'A saved earlier version that people can look at and restore.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Photo',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notes', fields.ForeignKeyField('snug.Notes', source_field='notes_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=32)),
                ('data', fields.BinaryField()),
                ('media_type', fields.CharField(max_length=20)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('caption', fields.CharField(default='', max_length=200)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', null=True, db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.SET_NULL)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notes_photo', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'A photo of a flipchart, re-encoded without its metadata before it was stored.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Event',
            name='personal_data_erased_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Event',
            name='proceedings_published',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
