from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0013_attendee_language')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ActionItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='actions', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.ForeignKeyField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='actions', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=32)),
                ('what', fields.TextField(unique=False)),
                ('owner', fields.CharField(default='', max_length=200)),
                ('due', fields.DateField(null=True)),
                ('status', fields.CharField(default='open', max_length=10)),
                ('status_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('removed', fields.BooleanField(default=False)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', null=True, db_constraint=True, to_field='id', related_name='actions_taken', on_delete=OnDelete.SET_NULL)),
                ('link_salt', fields.CharField(max_length=32)),
                ('link_key', fields.CharField(db_index=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'action_item', 'app': 'snug', 'unique_together': (('pitch', 'key'),), 'pk_attr': 'id', 'table_description': 'One action from a session notes, with its status and the keyed hash of its update link.'},
            bases=['Model'],
        ),
    ]
