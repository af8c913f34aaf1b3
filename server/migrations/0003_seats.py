from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0002_grid')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SeatClaim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='seat_claims', on_delete=OnDelete.CASCADE)),
                ('attendee', fields.ForeignKeyField('snug.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='seat_claims', on_delete=OnDelete.CASCADE)),
                ('pitch', fields.ForeignKeyField('snug.Pitch', source_field='pitch_id', db_constraint=True, to_field='id', related_name='seat_claims', on_delete=OnDelete.CASCADE)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('seated', fields.BooleanField(default=False, db_default=False)),
            ],
            options={'table': 'seat_claim', 'app': 'snug', 'unique_together': (('attendee', 'pitch'),), 'pk_attr': 'id', 'table_description': 'An attendee asking for a seat in a session whose room is small. Seated claims hold a'},
            bases=['Model'],
        ),
    ]
