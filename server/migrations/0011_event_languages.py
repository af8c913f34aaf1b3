from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0010_grid_step_venue')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Event',
            name='languages',
            field=fields.JSONField(default=['en'], db_default=[], encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.RunSQL("UPDATE event SET languages = '[\"en\"]'"),
    ]
