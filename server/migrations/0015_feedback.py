from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0014_actions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Feedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.ForeignKeyField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('answer', fields.CharField(max_length=12)),
                ('comment', fields.CharField(default='', max_length=280)),
            ],
            options={'table': 'feedback', 'app': 'snug', 'pk_attr': 'id', 'table_description': "One person's word on a session they went to, with no trace of who."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FeedbackGiven',
            fields=[
                ('marker', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='feedback_given', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'feedback_given', 'app': 'snug', 'pk_attr': 'marker', 'table_description': 'That someone gave feedback on a session, so they give it once: a keyed hash of the two.'},
            bases=['Model'],
        ),
    ]
