from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0008_seat_promoted')]

    initial = False

    operations = [
        ops.CreateModel(
            name='GridRelease',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='grid_releases', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('kind', fields.CharField(max_length=20)),
                ('source', fields.IntField(null=True)),
                ('placements', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'grid_release', 'app': 'snug', 'unique_together': (('event', 'number'),), 'pk_attr': 'id', 'table_description': 'One numbered release of the grid, kept for its history, comparing and rolling back.'},
            bases=['Model'],
        ),
    ]
